"""Reading vendor documents (model cards, READMEs, blog posts) that state claims.

`tables.read_tables` turns a Markdown document into its tables, in document order; the curated
claims cite a cell by (table, row, column) and the fidelity tests find that cell with it.
`extraction.extract_claims` reads those tables into proposed claims (`proposals`), with `cells`
reading one cell and `naming` matching model and benchmark names against the catalogue.
"""
