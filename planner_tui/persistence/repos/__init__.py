"""One repository per aggregate, on the store's connection and transactions."""
