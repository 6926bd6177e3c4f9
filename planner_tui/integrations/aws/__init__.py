"""Read-only calls to the user's AWS account through boto3: lifecycle, discovery, usage, Health."""
