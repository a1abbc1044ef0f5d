"""sitroom: from noisy conflict news to events, stories, quotes, contradictions and control."""

__version__ = "0.1.0"
