"""The Gradio chat UI for members: renders `rag.types.Answer` objects and calls `rag.pipeline.Pipeline`.

Telemetry is off where the app is built (`gr.Blocks(analytics_enabled=False)`): nothing leaves the machine.
"""
