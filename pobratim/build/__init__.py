"""The build: records to RDF, the dataset, staging and publishing, the dataset description."""
