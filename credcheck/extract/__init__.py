"""From an article to a draft claims file: prose split into sentences, checkable claims and their attributions."""
