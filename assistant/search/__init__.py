"""Search: embedders and their cache, the Swedish BM25 analyzer, vectors, fusion, query
analysis and the retriever that ranks passages for a question."""
