"""SPEC §3 'Folders do not overlap': `check` and `run` refuse (exit 2) a configuration in which an
archive, error or receipts location, a dir destination or the state_dir equals or lies inside an
inbox (of any source), or one inbox lies inside another — however the path is spelled (trailing
slash, '..', '//', a symlink). A refused `run` touches nothing in the inbox. A folder whose name
merely begins with the inbox's name (`in-receipts` beside `in`) is no overlap."""

import os

from harness import HostileCase, Env, rakval_csv, row


def inbox(env):
    return env.inbox("rakval")


def link_to_inbox(env):
    os.symlink(inbox(env), env.p("inbox-link"))
    return env.p("inbox-link")


# (case, mutation of the Env before its config is written)
OVERLAPS = [
    ("receipts_equal_inbox", lambda e: e.sources["rakval"].update(receipts=inbox(e))),
    ("error_equals_inbox", lambda e: e.sources["rakval"].update(error=inbox(e))),
    ("archive_equals_inbox", lambda e: e.sources["rakval"].update(archive=inbox(e))),
    ("archive_inside_inbox", lambda e: e.sources["rakval"].update(archive=inbox(e) + "/archive")),
    ("error_inside_inbox", lambda e: e.sources["rakval"].update(error=inbox(e) + "/error")),
    ("receipts_inside_inbox", lambda e: e.sources["rakval"].update(receipts=inbox(e) + "/receipts")),
    ("destination_equals_inbox", lambda e: setattr(e, "dest_path", inbox(e))),
    ("destination_inside_inbox", lambda e: setattr(e, "dest_path", inbox(e) + "/out")),
    ("state_dir_equals_inbox", lambda e: setattr(e, "state_dir", inbox(e))),
    ("state_dir_inside_inbox", lambda e: setattr(e, "state_dir", inbox(e) + "/state")),
    ("inbox_inside_another_inbox", lambda e: e.sources["ymparisto"].update(path=inbox(e) + "/sub")),
    ("inbox_equals_another_inbox", lambda e: e.sources["ymparisto"].update(path=inbox(e))),
    ("other_sources_error_is_this_inbox", lambda e: e.sources["ymparisto"].update(error=inbox(e))),
    ("other_sources_receipts_inside_this_inbox",
     lambda e: e.sources["ymparisto"].update(receipts=inbox(e) + "/r")),
    ("spelled_with_trailing_slash", lambda e: e.sources["rakval"].update(receipts=inbox(e) + "/")),
    ("spelled_with_dot_dot", lambda e: e.sources["rakval"].update(receipts=e.p("rakval", "x", "..", "in"))),
    ("spelled_with_dot", lambda e: e.sources["rakval"].update(archive=inbox(e) + "/./a")),
    ("spelled_with_double_slash", lambda e: e.sources["rakval"].update(error=e.root + "//rakval//in//e")),
    ("through_a_symlink", lambda e: e.sources["rakval"].update(receipts=link_to_inbox(e))),
    ("state_dir_through_a_symlink", lambda e: setattr(e, "state_dir", link_to_inbox(e) + "/state")),
    ("inbox_inside_another_through_a_symlink",
     lambda e: e.sources["ymparisto"].update(path=link_to_inbox(e) + "/sub")),
]


class FoldersDoNotOverlap(HostileCase):

    def check_refused(self, mutate):
        env = Env(self)
        os.makedirs(inbox(env) + "/sub", exist_ok=True)
        mutate(env)
        env.write_config()
        p = env.drop("waiting.csv", rakval_csv([row("LV-O1")]))
        before = sorted(os.listdir(inbox(env)))
        c = env.liitos("check")
        self.expect_ended(c, "check")
        self.expect(c.rc == 2, f"check exited {c.rc}, expected 2")
        r = env.once(timeout=20)
        self.expect_ended(r, "run --once")
        self.expect(r.rc == 2, f"run --once exited {r.rc}, expected 2")
        self.expect(os.path.exists(p), "the waiting file was taken")
        self.expect(sorted(os.listdir(inbox(env))) == before, "run wrote into the inbox")
        self.expect(not env.delivered(), "something was delivered")
        self.finish()


def _make(mutate):
    def test(self):
        self.check_refused(mutate)
    return test


for _case, _mut in OVERLAPS:
    setattr(FoldersDoNotOverlap, f"test_{_case}", _make(_mut))


class NotAnOverlap(HostileCase):

    def test_sibling_whose_name_begins_like_the_inbox(self):
        env = Env(self)
        env.sources["rakval"].update(receipts=inbox(env) + "-receipts", archive=inbox(env) + "2",
                                     error=inbox(env) + ".error")
        env.state_dir = inbox(env) + "_state"
        env.write_config()
        env.drop("x.csv", rakval_csv([row("LV-O2")]))
        c = env.liitos("check")
        self.expect(c.rc == 0, f"check exited {c.rc}: {c.err[-300:]!r}")
        r = env.once()
        self.expect_rc(r, 0, "run --once")
        self.expect_delivered(env, ["LV-O2"])
        self.finish()
