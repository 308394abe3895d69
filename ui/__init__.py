"""The Gradio chat UI for members: renders `rag.types.Answer` objects and calls `rag.pipeline.Pipeline`."""

import os

# Gradio reads this when it is imported: no usage analytics and no version check leave the machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
