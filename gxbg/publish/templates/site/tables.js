/* Filter, sort and page the files and findings tables of data.js (window.GXBG_DATA).
   Plain DOM and textContent only: report text never becomes markup. */
(function () {
  "use strict";
  var DATA = window.GXBG_DATA;
  var PAGE = 100;
  var SPECS = {
    findings: {
      columns: [
        {key: "severity", label: "严重程度", filter: true, labels: "severity", badge: true},
        {key: "category", label: "类别", filter: true, labels: "category"},
        {key: "rule_id", label: "规则", filter: true},
        {key: "agency", label: "机关", link: "page"},
        {key: "year", label: "年度", num: true, filter: true},
        {key: "section", label: "部分", filter: true, labels: "section"},
        {key: "where", label: "位置"},
        {key: "message", label: "说明", wide: true},
        {key: "line", label: "行号", num: true},
        {key: "engine", label: "引擎", filter: true},
        {key: "file", label: "文件", title: "source"}
      ],
      order: [["severity", 1], ["file", 1], ["line", 1]]
    },
    files: {
      columns: [
        {key: "file", label: "文件", title: "source", link: "page"},
        {key: "status", label: "状态", filter: true, labels: "status", badge: true},
        {key: "agency", label: "机关"},
        {key: "year", label: "年度", num: true, filter: true},
        {key: "format", label: "表式", filter: true},
        {key: "errors", label: "错误", num: true},
        {key: "warnings", label: "警告", num: true},
        {key: "reason", label: "原因", wide: true}
      ],
      order: [["errors", -1], ["warnings", -1], ["file", 1]]
    }
  };
  var SEVERITY_RANK = {error: 0, warning: 1, info: 2};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function shown(column, value) {
    if (value === null || value === undefined) return "";
    var names = column.labels && DATA.labels[column.labels];
    return names && names[value] !== undefined ? names[value] : String(value);
  }

  function blank(v) { return v === null || v === undefined || v === ""; }

  function rank(v) { return SEVERITY_RANK.hasOwnProperty(v) ? SEVERITY_RANK[v] : 9; }

  function compare(a, b, column) {
    if (a === b) return 0;
    if (blank(a)) return 1;
    if (blank(b)) return -1;
    if (column.key === "severity") return rank(a) - rank(b);
    if (column.num) return a - b;
    return String(a).localeCompare(String(b), "zh-CN");
  }

  function TableApp(root, spec, table) {
    var index = {};
    table.columns.forEach(function (name, i) { index[name] = i; });
    var state = {filters: {}, query: "", sort: spec.order.slice(), page: 0};
    var controls = el("div", "controls");
    var search = el("input");
    search.type = "search";
    search.placeholder = "搜索（机关、说明、文件…）";
    search.addEventListener("input", function () { state.query = search.value.trim().toLowerCase(); state.page = 0; render(); });
    controls.appendChild(search);
    spec.columns.forEach(function (column) {
      if (!column.filter) return;
      var values = {};
      table.rows.forEach(function (row) { var v = row[index[column.key]]; if (v !== null && v !== undefined) values[v] = true; });
      var select = el("select");
      select.setAttribute("aria-label", column.label);
      select.appendChild(new Option(column.label + "：全部", ""));
      Object.keys(values).sort(function (a, b) { return compare(a, b, column); }).forEach(function (v) {
        select.appendChild(new Option(shown(column, v), v));
      });
      select.addEventListener("change", function () {
        if (select.value === "") delete state.filters[column.key]; else state.filters[column.key] = select.value;
        state.page = 0; render();
      });
      controls.appendChild(select);
    });
    var count = el("span", "count");
    controls.appendChild(count);
    root.appendChild(controls);

    var holder = el("div", "scroll");
    var grid = el("table", "grid data");
    var head = el("thead");
    var headRow = el("tr");
    spec.columns.forEach(function (column) {
      var th = el("th", column.num ? "n sortable" : "sortable", column.label);
      th.setAttribute("role", "button");
      th.tabIndex = 0;
      th.dataset.key = column.key;
      var toggle = function () {
        var first = state.sort[0];
        state.sort = [[column.key, first && first[0] === column.key ? -first[1] : 1]];
        render();
      };
      th.addEventListener("click", toggle);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") toggle(); });
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    grid.appendChild(head);
    var body = el("tbody");
    grid.appendChild(body);
    holder.appendChild(grid);
    root.appendChild(holder);
    var pager = el("div", "pager");
    var prev = el("button", "", "上一页");
    var next = el("button", "", "下一页");
    var where = el("span");
    prev.addEventListener("click", function () { state.page -= 1; render(); });
    next.addEventListener("click", function () { state.page += 1; render(); });
    pager.appendChild(prev); pager.appendChild(where); pager.appendChild(next);
    root.appendChild(pager);

    function matches(row) {
      for (var key in state.filters) {
        if (String(row[index[key]]) !== state.filters[key]) return false;
      }
      if (!state.query) return true;
      return spec.columns.some(function (column) {
        return shown(column, row[index[column.key]]).toLowerCase().indexOf(state.query) >= 0;
      });
    }

    function render() {
      var rows = table.rows.filter(matches);
      var columns = {};
      spec.columns.forEach(function (c) { columns[c.key] = c; });
      rows.sort(function (a, b) {
        for (var i = 0; i < state.sort.length; i++) {
          var key = state.sort[i][0], c = columns[key];
          var x = a[index[key]], y = b[index[key]];
          var d = compare(x, y, c);
          if (d !== 0) return blank(x) || blank(y) ? d : d * state.sort[i][1];  /* blanks stay last */
        }
        return 0;
      });
      var pages = Math.max(1, Math.ceil(rows.length / PAGE));
      state.page = Math.min(Math.max(state.page, 0), pages - 1);
      var start = state.page * PAGE;
      var fragment = document.createDocumentFragment();
      rows.slice(start, start + PAGE).forEach(function (row) {
        var tr = el("tr");
        spec.columns.forEach(function (column) {
          var value = row[index[column.key]];
          var td = el("td", (column.num ? "n" : "") + (column.wide ? " wide" : ""));
          var text = shown(column, value);
          var target = column.link && row[index[column.link]];
          if (target) {
            var a = el("a", "", text || "（报告）");
            a.href = target;  /* a page name the site made from a report id */
            td.appendChild(a);
          } else if (column.badge && value) {
            td.appendChild(el("span", "badge " + column.key + "-" + value, text));
          } else {
            td.textContent = text;
          }
          if (column.title && row[index[column.title]]) td.title = row[index[column.title]];
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      });
      body.replaceChildren(fragment);
      headRow.querySelectorAll("th").forEach(function (th) {
        var s = state.sort[0];
        th.setAttribute("aria-sort", s && s[0] === th.dataset.key ? (s[1] > 0 ? "ascending" : "descending") : "none");
      });
      count.textContent = "共 " + rows.length + " 条（全部 " + table.rows.length + " 条）";
      where.textContent = rows.length ? ("第 " + (start + 1) + "–" + Math.min(start + PAGE, rows.length) + " 条") : "无匹配";
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    render();
  }

  /* data.js stores repeated values once: turn indexes back into values. */
  function decode(table) {
    Object.keys(table.values || {}).forEach(function (name) {
      var i = table.columns.indexOf(name), values = table.values[name];
      table.rows.forEach(function (row) { if (row[i] !== null) row[i] = values[row[i]]; });
    });
  }

  /* A finding names its file by row number in the files table: add that file's name, path and page. */
  function joinFiles(findings, files) {
    var at = findings.columns.indexOf("file");
    var name = files.columns.indexOf("file"), source = files.columns.indexOf("source"), page = files.columns.indexOf("page");
    findings.columns.push("source", "page");
    findings.rows.forEach(function (row) {
      var file = row[at] === null ? null : files.rows[row[at]];
      row[at] = file ? file[name] : null;
      row.push(file ? file[source] : null, file ? file[page] : null);
    });
  }

  if (DATA) {
    decode(DATA.files);
    decode(DATA.findings);
    joinFiles(DATA.findings, DATA.files);
  }
  document.querySelectorAll(".table-app").forEach(function (root) {
    var name = root.dataset.source;
    if (DATA && DATA[name] && SPECS[name]) TableApp(root, SPECS[name], DATA[name]);
  });
})();
