"""Pages: render the national pages once, then specialise them per county.

``render`` converts the Markdown and runs the Jinja2 theme once, leaving slot markers
(``slots``) where a county differs; ``specialise`` fills the slots per site from the slot
registry; ``services`` makes the PTV service and municipality pages; ``search`` adds the
index-only terms and builds the Pagefind index of a finished site.
"""
