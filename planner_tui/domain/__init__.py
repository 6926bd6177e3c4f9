"""Pure domain: models, lifecycle rules, scheduling. Imports neither Textual nor boto3."""
