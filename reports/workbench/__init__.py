"""工作台: each role's landing page, the office's batch review and 销号, and 催报/催办 of late units."""
