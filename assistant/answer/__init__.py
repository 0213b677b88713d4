"""Answer: compose cited answers from retrieved passages, follow-ups, the optional LLM."""
