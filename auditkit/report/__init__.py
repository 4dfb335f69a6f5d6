"""Due-diligence reports: the audit data (JSON), HTML from templates, PDF/A-3b via weasyprint.

Importing this package is cheap: weasyprint is imported only by the PDF renderer.
"""
