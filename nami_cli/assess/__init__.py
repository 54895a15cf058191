"""Assess: recognition and rules (the engine), screening in front of it, and the result models."""
