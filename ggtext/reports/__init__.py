"""Reports: text statistics, tables, HTML and figures."""
