"""Write a fact base: init, add-article, quote, draft. No query imports this."""
