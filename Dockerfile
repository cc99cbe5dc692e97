FROM python:3.11-slim
WORKDIR /app
# Graphviz lays out the lineage diagrams.
RUN apt-get update && apt-get install -y --no-install-recommends graphviz && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY graph graph
COPY ingest ingest
COPY api api
COPY cli cli
COPY queries queries
RUN pip install --no-cache-dir .
ENV KG_QUERIES_DIR=/app/queries
EXPOSE 8000
CMD ["kg", "serve", "--host", "0.0.0.0", "--port", "8000"]
