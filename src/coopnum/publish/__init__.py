"""Publishing dataset/ to a Hugging Face hub repository, and checking what arrived."""
