"""The voice agent: what runs in each LiveKit job (one job per room), and the AgentServer.

Job processes are started by the worker and import this module by name, so the entrypoint and
the prewarm function live here, at module level, not in `__main__`.
"""

from __future__ import annotations

import os

from livekit.agents import Agent, AgentServer, AgentSession, JobContext, JobProcess
from livekit.plugins import openai, silero

from app.handlers import Settings


class VoiceAssistant(Agent):
    def __init__(self, instructions: str, greeting: str) -> None:
        super().__init__(instructions=instructions)
        self._greeting = greeting

    async def on_enter(self) -> None:
        if self._greeting:
            self.session.generate_reply(instructions=self._greeting)


def prewarm(proc: JobProcess) -> None:
    """Runs once per job process, before its first job: loads the VAD model (from the wheel)."""
    proc.userdata["vad"] = silero.VAD.load()


async def entrypoint(ctx: JobContext) -> None:
    """One call: speech to text, the LLM, text to speech, all with OpenAI; Silero detects speech."""
    settings = Settings.from_env(os.environ)
    session = AgentSession(
        vad=ctx.proc.userdata["vad"],
        stt=openai.STT(model=settings.stt_model, language=settings.stt_language),
        llm=openai.LLM(model=settings.llm_model),
        tts=openai.TTS(model=settings.tts_model, voice=settings.tts_voice),
    )
    # Starting the session connects the job to its room.
    await session.start(
        agent=VoiceAssistant(settings.instructions, settings.greeting), room=ctx.room
    )


def build_server(settings: Settings) -> AgentServer:
    """The worker. Its own HTTP server (LiveKit's health and /worker) stays on loopback."""
    server = AgentServer(
        ws_url=settings.livekit_url,
        api_key=settings.livekit_api_key,
        api_secret=settings.livekit_api_secret,
        host="127.0.0.1",
        port=settings.worker_port,
        drain_timeout=settings.drain_timeout_seconds,
        num_idle_processes=settings.num_idle_processes,
        setup_fnc=prewarm,
    )
    # No agent_name: LiveKit dispatches the agent to every new room. Set LIVEKIT_AGENT_NAME
    # for explicit dispatch instead (AgentServer reads it).
    server.rtc_session(entrypoint)
    return server
