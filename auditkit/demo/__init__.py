"""The demo data set behind `auditkit demo`: three fictional candidate vendors for the outsourced
EC operations of a Japanese online retailer, with answers, evidence, findings and sign-offs.

`auditkit.services.demo.seed(db, checklists)` writes them to a fresh database.
"""
