FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=bluesky.settings
WORKDIR /app
# Plan readers: LibreOffice converts .doc/.wps, pdftoppm + Tesseract (Chinese model) read scanned PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui poppler-utils tesseract-ocr-chi-sim \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN mkdir -p /data && useradd --system bluesky && chown bluesky /data
USER bluesky
EXPOSE 8000
CMD ["gunicorn", "bluesky.wsgi:application", "--bind", "0.0.0.0:8000"]
