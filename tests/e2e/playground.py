"""Drive a bot through the real Microsoft 365 Agents Playground, as several users, over HTTP.

``Playground`` starts the Playground (npm ``@microsoft/m365agentsplayground`` 0.2.28, installed
by ``npm ci`` from ``playground/package-lock.json`` when needed) against a bot endpoint, with
six demo users from ``local/demo/directory.yaml`` (the first is the Playground's *current user*),
and records everything the bot sends::

    async with Playground(bot.endpoint) as pg:
        await pg.install()                                    # current user's 1:1 chat
        sent = await pg.send_text("t.dejong", "start")        # returns after the bot's turn
        card = sent.replies[0]                                 # what the bot answered
        new = await pg.invoke("t.dejong", "approve", {...}, card)  # the refreshed card
        note = await pg.wait_for_message("e.vanleeuwen", since=sent.mark)  # proactive

What the Playground does (read from its source and tried here):

- It posts activities to the bot as Teams would: ``channelId`` msteams, ``serviceUrl``
  ``http://localhost:PORT/_connector``, ``from.id`` = ``from.aadObjectId`` = the user's object
  id (``from.name`` on messages and invokes, not on installation/conversationUpdate),
  ``channelData.tenant.id`` and ``conversation.tenantId``. It always says ``locale`` en-US.
  It serves the Bot Connector API the bot answers to: send, reply, update, create conversation,
  members, team details.
- Messages through its chat API always come from the *current* user, whatever ``from`` says,
  and in a group chat it forwards only those that @mention the bot. Anyone else speaks through
  its custom-activity API, which forwards our activity to the bot as it is; such a message is
  not stored in the chat (the UI does not show it), but the bot's answer is. ``send_text``
  picks the route and adds the tenant, ``from`` and the @mention itself.
- Chats: the current user's 1:1 chat (fixed id), one group chat with all six users, one team.
  Another user's 1:1 chat exists once a bot (or ``conversation_id_for``) opens it with
  ``POST /v3/conversations`` naming that user's id; the Playground returns the same chat every
  time for that user. Its installation is sent here as the user's own custom activities (the
  Playground's install button would send it from the current user).
- ``adaptiveCard/action`` invokes (``Action.Execute``): it honours ``from.id`` if that user is
  in the chat (a 1:1 chat: only its owner), needs ``replyToId`` to be a message of the chat,
  returns the bot's ``{type, value}`` and drops its ``statusCode``; a bot HTTP error becomes
  502. It then silently puts the returned card into the stored message (no stream event).
- Updates (``PUT .../activities/{id}``) replace a stored message and are streamed.

What it does not do: delete a message (answers 501), SSO, tabs, the app manifest, automatic
card refresh (its web client's job; nothing here renders cards). A message with text *and*
attachments is stored as one message each, answered 202 without an id, so the bot cannot
update it later: send cards without text. (Its invoke API also takes ``message/submitAction``
and message-extension invokes; this harness wraps only ``adaptiveCard/action``.)

Streams: ``/_ws/log/stream`` carries every HTTP exchange between the Playground and the bot, in
every chat, as it completes (a turn's replies come before the turn's own exchange): it is the
recorder's source, and the only place to see messages to users other than the current one.
``/_ws_conversation/v1/conversations/stream`` carries ``createMessage`` / ``updateMessage`` /
``typing`` for chats that include the current user, as the web client sees them; kept as
``stream``. Both buffer events while no client is connected and hand them to the first one.

Every wait here is bounded; nothing sleeps. The Playground binds every interface: start it only
in tests and the local demo.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from playground import config as pg_config
from playground import runtime

PLAYGROUND = "Microsoft 365 Agents Playground"  # the log stream's name for each side
BOT = "User Application"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
T = TypeVar("T")
Activity = dict[str, Any]


class PlaygroundError(RuntimeError):
    """The Playground refused a request, died, or an awaited event did not come."""

    def __init__(self, message: str, status: int = 0, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class PlaygroundUnavailable(PlaygroundError):
    """Node.js is missing or the package cannot be installed (registry unreachable)."""


@dataclass(eq=False)
class BotMessage:
    """One message the bot sent, as stored by the Playground, with every version of it."""

    conversation_id: str
    message_id: str | None  # the Playground's id (None for a split text+attachments message)
    versions: list[Activity]  # the bot's activities: the first created it, the rest updated it

    @property
    def activity(self) -> Activity:
        return self.versions[-1]

    @property
    def updates(self) -> int:
        return len(self.versions) - 1

    @property
    def text(self) -> str:
        return str(self.activity.get("text") or "")

    @property
    def reply_to_id(self) -> str:
        """The activity the bot was answering ("" if none; botbuilder also sets one in turns
        it makes up itself, such as the one after ``create_conversation``)."""
        return str(self.versions[0].get("replyToId") or "")

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [a.get("content") or {} for a in self.activity.get("attachments") or []
                if a.get("contentType") == CARD_TYPE]

    @property
    def card(self) -> dict[str, Any] | None:
        return self.cards[0] if self.cards else None


@dataclass(frozen=True)
class Exchange:
    """One activity the Playground posted to the bot, and the bot's HTTP answer."""

    activity: Activity
    status: int
    body: Any
    replies: tuple[BotMessage, ...]  # what the bot sent in answer during that turn
    mark: int  # the recorder's position before it was sent (for ``since=``)


@dataclass
class Recorder:
    """Everything the two websockets carried, and the bot's messages derived from the log."""

    log: list[dict[str, Any]] = field(default_factory=list)  # every log item
    stream: list[dict[str, Any]] = field(default_factory=list)  # conversation stream actions
    messages: list[BotMessage] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # 1:1 chat id -> its user's id
    bot_errors: list[dict[str, Any]] = field(default_factory=list)  # bot calls answered >= 400
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    failure: str = ""  # set when the Playground died
    _by_id: dict[tuple[str, str], BotMessage] = field(default_factory=dict)

    def add_log(self, item: dict[str, Any]) -> None:
        self.log.append(item)
        if item.get("type") == "bot" and item.get("from") == BOT:
            self._bot_call(item)

    def _bot_call(self, item: dict[str, Any]) -> None:
        body = item.get("request", {}).get("body") or {}
        status = int(item.get("response", {}).get("statusCode") or 0)
        answer = item.get("response", {}).get("body")
        answer_id = str(answer.get("id") or "") if isinstance(answer, dict) else ""
        if status >= 400:
            self.bot_errors.append(item)
        elif item.get("activityName") == "createConversation":
            members = body.get("members") or []
            if answer_id and not body.get("isGroup") and members:
                self.owners[answer_id] = str(members[0].get("id"))
        elif body.get("type") == "message":
            conversation = str(item.get("conversationId") or "")
            known = self._by_id.get((conversation, answer_id))
            if status == 200 and known is not None:
                known.versions.append(body)
                return
            message = BotMessage(conversation, answer_id or None, [body])
            self.messages.append(message)
            if answer_id:
                self._by_id[(conversation, answer_id)] = message

    def exchanges(self) -> list[dict[str, Any]]:
        return [i for i in self.log if i.get("type") == "bot" and i.get("from") == PLAYGROUND]

    def notes(self) -> list[str]:
        return [str(i.get("displayText")) for i in self.log if i.get("type") == "text"]

    def summary(self, limit: int = 8) -> str:
        lines = [f"note: {text}" for text in self.notes()[-limit:]]
        for item in [i for i in self.log if i.get("type") == "bot"][-limit:]:
            body = item.get("request", {}).get("body") or {}
            lines.append(f"{item.get('from')} -> {item.get('to')}: {item.get('activityName')} "
                         f"{item.get('response', {}).get('statusCode')} "
                         f"{str(body.get('text') or '')[:60]!r}")
        return "\n".join(lines)

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float,
                       what: str = "a condition") -> T:
        """The predicate's first truthy value, re-checked on every event, for ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            if self.failure:
                raise PlaygroundError(f"waiting for {what}: {self.failure}")
            found = predicate()
            if found:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PlaygroundError(f"timed out after {timeout}s waiting for {what}; "
                                      f"recent Playground log:\n{self.summary()}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)


class Playground:
    """The Agents Playground bound to ``bot_endpoint``, as an async context manager.

    ``users`` are six directory users (UPN, its part before ``@``, or object id); the first is
    the current user. ``workdir`` holds the config and the Playground's log (a temporary folder
    by default, removed afterwards)."""

    def __init__(self, bot_endpoint: str,
                 users: Sequence[str] = pg_config.COLLEGEVOORSTEL_CAST,
                 workdir: Path | None = None, *,
                 directory: Path = pg_config.DEMO_DIRECTORY,
                 bot_name: str = pg_config.BOT_NAME,
                 timeout: float = 10.0, start_timeout: float = 45.0) -> None:
        self.bot_endpoint = bot_endpoint
        self.config = pg_config.build_config(pg_config.read_directory(directory), users,
                                             bot_name=bot_name)
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.recorder = Recorder()
        self.install_seconds: float | None = None  # npm ci's duration, None when skipped
        self.start_seconds = 0.0  # launch until the config answered
        self.port = 0
        self._workdir = workdir
        self._own_workdir = workdir is None
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._output: list[str] = []
        self._consumed: set[str] = set()
        self._stopping = False

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> Playground:
        reason = runtime.missing_tool()
        if reason:
            raise PlaygroundUnavailable(reason)
        try:
            self.install_seconds = await asyncio.to_thread(runtime.ensure_installed)
        except runtime.InstallError as error:
            if error.offline:
                reason = f"the npm registry cannot be reached: {error}"
                raise PlaygroundUnavailable(reason) from error
            raise
        try:
            await self._start()
        except BaseException:
            await self._stop()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stop()

    @property
    def workdir(self) -> Path:
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="paraaf-playground-"))
        return self._workdir

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        await self._bot_answers()
        started = time.monotonic()
        self._process, self.port = await runtime.launch(
            self.bot_endpoint, pg_config.dump(self.config), self.workdir, port=0,
            timeout=self.start_timeout)
        self._tasks = [asyncio.create_task(self._drain_output()),
                       asyncio.create_task(self._watch())]
        try:
            for path, sink in (("/_ws/log/stream", self._on_log),
                               ("/_ws_conversation/v1/conversations/stream", self._on_stream)):
                socket = await self._session.ws_connect(self.base_url + path, max_msg_size=0)
                self._tasks.append(asyncio.create_task(self._read(socket, sink)))
            # Answers once the bot's endpoint answers anything (it waits up to 15 s for that).
            status, body = await self._request("GET", "/_internal/v1/config",
                                               timeout=self.start_timeout)
        except (aiohttp.ClientError, OSError) as error:
            # "Listening on" comes before the config is read: a refused config exits right after
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), 5)
            raise PlaygroundError(f"the Playground did not come up ({error}; exit code "
                                  f"{self._process.returncode}):\n{self.log_tail()}") from error
        if status != 200 or body["config"]["currentUser"]["id"] != self.me["id"]:
            raise PlaygroundError(f"unexpected config answer {status}: {str(body)[:500]}")
        self.start_seconds = time.monotonic() - started

    async def _bot_answers(self) -> None:
        """Wait (bounded) until the bot's endpoint answers HTTP at all, as the Playground does;
        fail clearly instead of letting every later call time out."""
        assert self._session is not None
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                async with self._session.get(self.bot_endpoint,
                                             timeout=aiohttp.ClientTimeout(total=2)):
                    return
            except (aiohttp.ClientError, OSError, TimeoutError) as error:
                if time.monotonic() >= deadline:
                    raise PlaygroundError(f"the bot at {self.bot_endpoint} does not answer "
                                          f"({error!r})") from error
            await asyncio.sleep(0.1)  # polling a port that is not open yet

    async def _stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._process is not None:
            await runtime.stop(self._process)
        if self._own_workdir and self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)

    async def _drain_output(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        async for line in self._process.stdout:
            self._output = [*self._output[-50:], line.decode("utf-8", "replace")]

    async def _watch(self) -> None:
        assert self._process is not None
        code = await self._process.wait()
        if not self._stopping:
            self.recorder.failure = (f"the Playground exited ({code}): {''.join(self._output)}"
                                     f"\n{self.log_tail()}")
            self.recorder.changed.set()

    async def _read(self, socket: aiohttp.ClientWebSocketResponse,
                    sink: Callable[[dict[str, Any]], None]) -> None:
        async with socket:
            async for frame in socket:
                if frame.type == aiohttp.WSMsgType.TEXT:
                    sink(json.loads(frame.data))
                    self.recorder.changed.set()

    def _on_log(self, event: dict[str, Any]) -> None:
        if event.get("logAction") == "appendLog" and isinstance(event.get("log"), dict):
            self.recorder.add_log(event["log"])

    def _on_stream(self, event: dict[str, Any]) -> None:
        self.recorder.stream.append(event)

    def log_tail(self) -> str:
        return runtime.log_tail(self.workdir / runtime.LOG_NAME)

    async def _request(self, method: str, path: str, payload: Any = None,
                       params: dict[str, str] | None = None,
                       timeout: float | None = None) -> tuple[int, Any]:
        if self.recorder.failure:
            raise PlaygroundError(self.recorder.failure)
        assert self._session is not None, "use Playground as `async with`"
        async with self._session.request(
                method, self.base_url + path, json=payload, params=params,
                timeout=aiohttp.ClientTimeout(total=timeout or self.timeout)) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text

    # ------------------------------------------------------------------ people and chats

    @property
    def me(self) -> dict[str, str]:
        """The current user (the Playground's ``currentUser``)."""
        user: dict[str, str] = self.config["currentUser"]
        return user

    @property
    def users(self) -> list[dict[str, str]]:
        """All six users, the current user first."""
        return [self.me, *self.config["users"]]

    @property
    def tenant_id(self) -> str:
        return str(self.config["tenantId"])

    @property
    def bot_id(self) -> str:
        return str(self.config["bot"]["id"])

    @property
    def group_chat_id(self) -> str:
        """The one group chat: all six users and the bot."""
        return str(self.config["groupChat"]["id"])

    def user(self, who: str | dict[str, str]) -> dict[str, str]:
        """A user of this Playground by UPN, its part before ``@``, or object id."""
        key = (who["id"] if isinstance(who, dict) else who).casefold()
        for user in self.users:
            if key in (user["userPrincipleName"].casefold(), user["id"].casefold(),
                       user["userPrincipleName"].split("@")[0].casefold()):
                return user
        raise KeyError(f"{who!r} is not one of this Playground's users")

    async def conversation_id_for(self, who: str | dict[str, str]) -> str:
        """The user's 1:1 chat with the bot (opened the way a bot opens it, if need be)."""
        user = self.user(who)
        if user is self.me:
            return str(self.config["personalChat"]["id"])
        for chat, owner in self.recorder.owners.items():
            if owner == user["id"]:
                return chat
        status, body = await self._request("POST", "/_connector/v3/conversations", {
            "isGroup": False, "bot": {"id": self.bot_id}, "members": [{"id": user["id"]}],
            "tenantId": self.tenant_id, "channelData": {"tenant": {"id": self.tenant_id}},
        })
        if status != 201:
            raise PlaygroundError(f"opening a chat for {user['name']}: {status}", status, body)
        chat = str(body["id"])
        self.recorder.owners[chat] = user["id"]
        return chat

    def _owner(self, conversation: str) -> dict[str, str] | None:
        if conversation == self.config["personalChat"]["id"]:
            return self.me
        owner = self.recorder.owners.get(conversation)
        return self.user(owner) if owner else None

    # ------------------------------------------------------------------ acting as users

    async def install(self, conversation: str | None = None) -> list[Exchange]:
        """Install the bot in a chat (default: the current user's 1:1 chat).

        Sends ``installationUpdate`` (add) and ``conversationUpdate`` (bot added); returns both
        exchanges once the bot has answered them."""
        chat = conversation or await self.conversation_id_for(self.me)
        mark = self.mark()
        owner = self._owner(chat)
        if owner is None or owner is self.me:
            status, body = await self._request(
                "POST", f"/_debug/conversation/{chat}/installation", {})
            if status != 200:
                raise PlaygroundError(f"install in {chat}: {status}", status, body)
            return [await self._exchange(_is(kind, chat), mark, f"{kind} in {chat}")
                    for kind in ("installationUpdate", "conversationUpdate")]
        sent = []
        for kind in ("install", "botAdded"):  # as the chat's owner, not the current user
            activity = await self._template(chat, kind)
            activity["from"] = {"id": owner["id"], "aadObjectId": owner["aadObjectId"]}
            sent.append(await self._post_custom(activity, mark))
        return sent

    async def send_text(self, who: str | dict[str, str], text: str,
                        conversation: str | None = None, *, locale: str | None = None,
                        check: bool = True) -> Exchange:
        """``who`` writes ``text`` in ``conversation`` (default: their 1:1 chat with the bot).

        The current user writes through the Playground's chat (shown in its UI; locale en-US);
        anyone else, or anyone with an explicit ``locale``, through a custom activity. In the
        group chat the bot is @mentioned first. Returns once the bot has answered the turn;
        with ``check``, a bot answer >= 400 raises."""
        user = self.user(who)
        chat = conversation or await self.conversation_id_for(user)
        group = chat == self.group_chat_id
        at = f"<at>{self.config['bot']['name']}</at>"
        words = f"{at} {text}" if group else text
        mark = self.mark()
        if user is self.me and locale is None and (group or self._owner(chat) is self.me):
            payload: dict[str, Any] = {"from": {"id": user["id"]}, "text": words,
                                       "textFormat": "plain"}
            if group:
                payload["mentions"] = [{"mentioned": {"id": self.bot_id}, "text": at}]
            status, body = await self._request(
                "POST", f"/_conversation/v1/conversations/{chat}/messages", payload)
            if status != 200:
                raise PlaygroundError(f"message in {chat}: {status} {body}", status, body)
            exchange = await self._exchange(_is("message", chat, words), mark,
                                            f"message {text!r}")
        else:
            activity = await self._template(chat)
            language = locale or "en-US"
            activity.update({
                "type": "message", "text": words, "textFormat": "plain", "locale": language,
                "from": {"id": user["id"], "name": user["name"],
                         "aadObjectId": user["aadObjectId"]},
                "channelData": {"tenant": {"id": self.tenant_id}},
                "entities": [{"type": "clientInfo", "locale": language, "platform": "Web"}],
            })
            if group:
                activity["entities"].append({"type": "mention", "text": at, "mentioned": {
                    "id": self.bot_id, "name": self.config["bot"]["name"]}})
            exchange = await self._post_custom(activity, mark)
        if check and exchange.status >= 400:
            raise PlaygroundError(f"the bot answered {exchange.status} to {text!r}",
                                  exchange.status, exchange.body)
        return exchange

    async def invoke(self, who: str | dict[str, str], verb: str, data: dict[str, Any],
                     reply_to_id: str | BotMessage, conversation: str | None = None, *,
                     trigger: str = "manual") -> dict[str, Any]:
        """``who`` clicks an ``Action.Execute`` on a bot message; returns ``{type, value}``."""
        user = self.user(who)
        if isinstance(reply_to_id, BotMessage):
            conversation = conversation or reply_to_id.conversation_id
            reply_to_id = reply_to_id.message_id or ""
        chat = conversation or await self.conversation_id_for(user)
        status, body = await self._request("POST", "/_conversation/v1/invoke", {
            "name": "adaptiveCard/action",
            "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data},
                      "trigger": trigger},
            "from": {"id": user["id"]}, "conversation": {"id": chat}, "replyToId": reply_to_id,
        })
        if status != 200 or not isinstance(body, dict):
            raise PlaygroundError(f"invoke {verb!r} by {user['name']}: {status} {body}",
                                  status, body)
        return body

    async def _template(self, chat: str, kind: str | None = None) -> Activity:
        params = {"conversationId": chat, **({"type": kind} if kind else {})}
        status, body = await self._request("GET", "/_internal/v1/customActivities/template",
                                           params=params)
        if status != 200 or not isinstance(body, dict):
            raise PlaygroundError(f"activity template for {chat}: {status} {body}", status, body)
        body["id"] = str(uuid.uuid4())
        return body

    async def _post_custom(self, activity: Activity, mark: int) -> Exchange:
        status, body = await self._request("POST", "/_internal/v1/customActivities", activity)
        if status != 200:
            raise PlaygroundError(f"custom activity: {status} {body}", status, body)
        return await self._exchange(lambda a: a.get("id") == activity["id"], mark,
                                    f"{activity['type']} {activity['id']}")

    async def _exchange(self, match: Callable[[Activity], bool], mark: int,
                        what: str) -> Exchange:
        """The first not yet claimed exchange whose activity matches, once the bot answered."""
        def find() -> dict[str, Any] | None:
            for item in self.recorder.exchanges():
                body = item.get("request", {}).get("body") or {}
                if item.get("id") not in self._consumed and match(body):
                    return item
            return None

        item = await self.recorder.wait_for(find, self.timeout, f"the bot to answer {what}")
        self._consumed.add(str(item.get("id")))
        activity = item["request"]["body"]
        replies = tuple(m for m in self.recorder.messages[mark:]
                        if m.reply_to_id and m.reply_to_id == activity.get("id"))
        response = item.get("response") or {}
        return Exchange(activity, int(response.get("statusCode") or 0), response.get("body"),
                        replies, mark)

    # ------------------------------------------------------------------ what the bot sent

    def mark(self) -> int:
        """How many bot messages are recorded so far (pass it as ``since=``)."""
        return len(self.recorder.messages)

    def messages(self, who: str | dict[str, str] | None = None,
                 conversation: str | None = None, since: int = 0) -> list[BotMessage]:
        """Bot messages after ``since``, in one chat and/or in one user's 1:1 chat."""
        chats: set[str] | None = None
        if who is not None:
            user = self.user(who)
            chats = {chat for chat, owner in self.recorder.owners.items() if owner == user["id"]}
            if user is self.me:
                chats.add(str(self.config["personalChat"]["id"]))
        return [m for m in self.recorder.messages[since:]
                if (chats is None or m.conversation_id in chats)
                and (conversation is None or m.conversation_id == conversation)]

    async def wait_for(self, predicate: Callable[[], T | None],
                       timeout: float | None = None, what: str = "a condition") -> T:
        """The predicate's first truthy value; re-checked on every streamed event."""
        return await self.recorder.wait_for(predicate, timeout or self.timeout, what)

    async def wait_for_message(self, who: str | dict[str, str] | None = None,
                               conversation: str | None = None, *, since: int = 0,
                               where: Callable[[BotMessage], bool] | None = None,
                               timeout: float | None = None) -> BotMessage:
        """The first bot message after ``since`` (in that chat / to that user) that matches."""
        def find() -> BotMessage | None:
            return next((m for m in self.messages(who, conversation, since)
                         if where is None or where(m)), None)

        return await self.wait_for(find, timeout, f"a bot message to {who or conversation}")

    async def wait_for_update(self, message: BotMessage, updates: int = 1,
                              timeout: float | None = None) -> BotMessage:
        """The message once the bot has updated it ``updates`` times."""
        return await self.wait_for(lambda: message if message.updates >= updates else None,
                                   timeout, f"update {updates} of message {message.message_id}")

    def stream_events(self, action: str | None = None,
                      conversation: str | None = None) -> list[dict[str, Any]]:
        """Conversation-stream events (``createMessage``, ``updateMessage``, ``typing``)."""
        return [e for e in self.recorder.stream
                if (action is None or e.get("action") == action)
                and (conversation is None or e.get("actionConversationId") == conversation)]


def _is(kind: str, chat: str, text: str | None = None) -> Callable[[Activity], bool]:
    """Matches an activity of this type in this chat (with this text)."""
    def match(activity: Activity) -> bool:
        return (activity.get("type") == kind
                and (activity.get("conversation") or {}).get("id") == chat
                and (text is None or activity.get("text") == text))

    return match
