"""Chinese labels of the stable codes, for messages auditors read (findings keep the codes)."""

from __future__ import annotations

LABELS = {
    # 三 columns
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他组织",
    "total": "总计",
    # 三 rows
    "new_received": "一、本年新收",
    "carried_over": "二、上年结转",
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开",
    "denied_state_secret": "（三）不予公开1.属于国家秘密",
    "denied_other_law": "（三）不予公开2.其他法律行政法规禁止公开",
    "denied_three_safety": "（三）不予公开3.危及“三安全一稳定”",
    "denied_third_party": "（三）不予公开4.保护第三方合法权益",
    "denied_internal_affairs": "（三）不予公开5.属于三类内部事务信息",
    "denied_process_info": "（三）不予公开6.属于四类过程性信息",
    "denied_enforcement_file": "（三）不予公开7.属于行政执法案卷",
    "denied_admin_inquiry": "（三）不予公开8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供1.本机关不掌握",
    "unavailable_needs_creation": "（四）无法提供2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）无法提供3.补正后申请内容仍不明确",
    "unprocessed_complaint": "（五）不予处理1.信访举报投诉类",
    "unprocessed_repeat": "（五）不予处理2.重复申请",
    "unprocessed_publication": "（五）不予处理3.要求提供公开出版物",
    "unprocessed_excessive": "（五）不予处理4.无正当理由大量反复申请",
    "unprocessed_confirmation": "（五）不予处理5.要求确认或重新出具已获取信息",
    "other_no_correction": "（六）其他处理1.逾期不补正",
    "other_unpaid_fee": "（六）其他处理2.逾期未按收费通知缴纳费用",
    "other_misc": "（六）其他处理（其他）",
    "results_total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
    # 四 (rows are results, columns are groups)
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "review": "行政复议",
    "suit_direct": "行政诉讼（未经复议直接起诉）",
    "suit_after_review": "行政诉讼（复议后起诉）",
    # 二 items and measures
    "regulations": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalties": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "处理决定数量",
    "amount_10k_yuan": "本年收费金额（万元）",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous": "上一年项目数量",
    "change": "本年增/减",
    "projects": "采购项目数量",
    "amount": "采购总金额",
}


def label(code: str | None) -> str:
    if code is None:
        return ""
    return LABELS.get(code, code)
