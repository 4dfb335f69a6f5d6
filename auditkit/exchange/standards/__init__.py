"""Standard questionnaires (VSAQ, CAIQ, HECVAT): read as checklist templates or as a vendor's
filled answers. Pure: files in, plain data out; the safety checks of `exchange.safety` run
before any parsing, and workbooks go through the same defused reader as our own exchange files.
"""
