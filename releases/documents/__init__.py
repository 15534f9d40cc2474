"""Reading vendor documents (model cards, READMEs, blog posts) that state claims.

`tables.read_tables` turns a Markdown document into its tables, in document order; the curated
claims cite a cell by (table, row, column) and the fidelity tests find that cell with it.
"""
