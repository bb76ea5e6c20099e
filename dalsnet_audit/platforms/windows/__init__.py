"""Windows servers."""
