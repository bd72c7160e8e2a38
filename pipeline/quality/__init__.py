"""Checks and reports: the HTML and accessibility gate, the browser audit, the accessibility
reports and statement inputs, the county PTV reports and the search query set."""
