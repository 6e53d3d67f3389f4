"""Prefect flows over the gxbg library (see prefect.yaml for their deployments)."""
