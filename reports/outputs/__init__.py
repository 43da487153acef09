"""The office's generated documents: the weekly notice (notices.py, a .docx), the monthly ranking (ranking.py,
scores and an .xlsx), and the pages that list, build and download them."""
