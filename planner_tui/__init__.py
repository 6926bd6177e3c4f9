"""planner-tui: plan migrations off Legacy Amazon Bedrock models."""
