"""A LiveKit Agents voice worker with a health endpoint for Slipway."""
