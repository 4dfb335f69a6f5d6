"""Outside-in measurement of a vendor's endpoints (`auditkit probe tls`).

Only the hosts given are contacted; redirects are recorded, never followed. The scanner
(sslyze with nassl) is an optional extra, imported only when a probe runs.
"""
