"""The reviewed inputs: record and links file models, and the corpus that loads and checks them."""
