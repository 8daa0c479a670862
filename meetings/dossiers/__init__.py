"""Meeting dossiers (hồ sơ họp): the PDF engine, pure functions over bytes and plain values."""
