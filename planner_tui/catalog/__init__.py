"""The bundled Bedrock catalog: published lifecycle dates and models, with their sources."""
