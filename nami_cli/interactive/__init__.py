"""The interactive commands' logic: the interview and the demo."""
