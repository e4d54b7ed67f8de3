"""The package's checks and state decoding, without a notebook (run by tests/schema.rs with
GDVIZ_SCHEMA pointing at `gdviz schema`'s output; standard library only, NumPy when present)."""

import json
import math
import struct
import time
import unittest

import gdviz
from gdviz import OptionError, check
from gdviz._schema import schema
from gdviz._state import from_message

try:
    import numpy
except ImportError:  # the checks hold without it
    numpy = None


class Checks(unittest.TestCase):
    def refused(self, name, value, *words, surface="rosenbrock"):
        with self.assertRaises(OptionError) as e:
            check(name, value, surface)
        for w in words:
            self.assertIn(w, str(e.exception))
        return str(e.exception)

    def test_good_values_come_back_as_sent(self):
        self.assertEqual(check("lr", 0.05), 0.05)
        self.assertEqual(check("steps", 200.0), 200)
        self.assertIsInstance(check("steps", 200.0), int)
        self.assertEqual(check("start", (1, 2)), [1.0, 2.0])
        self.assertEqual(check("etas", [0.5, 1.2]), [0.5, 1.2])
        self.assertIs(check("amsgrad", True), True)
        self.assertEqual(check("hidden", 8), [8])
        self.assertIsNone(check("noise", None))
        self.assertEqual(check("kappa", 50, "ravine"), 50.0)
        self.assertEqual(check("runs", [{"optimizer": "adam", "lr": 0.05}]), [{"optimizer": "adam", "lr": 0.05}])

    def test_not_a_number_and_infinity_are_refused(self):
        for bad in (float("nan"), float("inf"), -float("inf"), 10**400):
            self.refused("lr", bad, "lr:", "finite")
        self.refused("start", [float("nan"), 0], "start:")
        self.refused("etas", [0.5, float("inf")], "etas:")

    def test_wrong_types_name_what_was_wanted(self):
        self.assertIn("expected a number, got 'fast'", self.refused("lr", "fast"))
        self.refused("lr", True, "expected a number, got True")
        self.refused("amsgrad", 1, "expected True or False")
        self.refused("optimizer", 3, "expected a name")
        self.refused("start", "1,2", "two numbers")
        self.refused("lr", None, "got None")
        self.refused("runs", {"optimizer": "sgd"}, "a list of runs")

    def test_ranges_and_names_come_from_the_core(self):
        self.refused("lr", 11, "in [0, 10]", "got 11")
        self.refused("momentum", 1, "in [0, 1)")
        self.refused("eps", 0, "> 0")
        self.refused("steps", 0, "from 1 to 100000")
        self.refused("step_sizes", [2, 1], "the first ≤ the second")
        self.refused("optimizer", "adma", "must be one of", "sgd", "did you mean")
        self.refused("hidden", [8, 8, 8, 8], "1 to 3 hidden layers")
        self.refused("hidden", [64], "from 2 to 32")
        self.refused("expr", "x" * 501, "at most 500 characters")

    def test_unknown_and_misplaced_keys(self):
        self.refused("lrr", 0.1, "unknown option", "did you mean 'lr'")
        self.refused("kappa", 50, "a parameter of ravine", surface="booth")
        self.refused("runs", [{"steps": 3}], "entry 1", "shared by every run")
        self.refused("runs", [{"bogus": 1}], "entry 1", "unknown option")
        self.refused("runs", [{"lr": 11}], "entry 1: lr:")

    def test_a_huge_list_is_refused_at_once(self):
        class Huge(list):
            def __len__(self):
                return 10**9

            def __getitem__(self, i):
                raise AssertionError("an item was read")

            def __iter__(self):
                raise AssertionError("the list was iterated")

        start = time.monotonic()
        self.refused("runs", Huge(), "at most 4 runs", "1000000000")
        self.refused("runs", [{}] * 100000, "at most 4 runs")
        self.refused("runs", [], "at least one run")
        self.assertLess(time.monotonic() - start, 0.5)

    def test_several_options_follow_the_new_surface(self):
        self.assertEqual(gdviz._schema.check_all({"kappa": 20, "surface": "ravine"}), {"surface": "ravine", "kappa": 20.0})
        with self.assertRaises(OptionError):
            gdviz._schema.check_all({"kappa": 20, "surface": "booth"})
        with self.assertRaises(OptionError):
            gdviz._schema.check_all(["lr"])

    @unittest.skipIf(numpy is None, "NumPy not installed")
    def test_numpy_values_are_plain_when_sent(self):
        v = check("lr", numpy.float64(0.05))
        self.assertIs(type(v), float)
        self.assertEqual(check("steps", numpy.int64(30)), 30)
        self.assertIs(type(check("steps", numpy.int64(30))), int)
        self.assertEqual(check("start", numpy.array([1.5, -2.0])), [1.5, -2.0])
        self.refused("lr", numpy.float64("nan"), "finite")
        self.refused("amsgrad", numpy.int64(1), "True or False")
        self.assertIs(check("amsgrad", numpy.bool_(True)), True)
        json.dumps(check("start", numpy.array([1, 2])))

    def test_options_lists_every_option_with_its_range(self):
        names = {o["name"] for o in gdviz.options()}
        for n in ("surface", "lr", "runs", "kappa", "hidden", "schedule"):
            self.assertIn(n, names)
        self.assertNotIn("race", names)
        lr = next(o for o in gdviz.options() if o["name"] == "lr")
        self.assertEqual(lr["bounds"]["max"], 10)
        self.assertEqual(schema().names().count("lambda"), 1)


class StateMessages(unittest.TestCase):
    def message(self, paths):
        runs = [{"optimizer": "sgd", "lr": 0.1, "status": "converged"} for _ in paths]
        buffers = [memoryview(struct.pack(f"<{3 * len(p)}d", *[c for row in p for c in row])) for p in paths]
        return {"type": "state", "revision": 3, "state": {"lr": 0.1, "selected": len(paths) - 1, "runs": runs}}, buffers

    def test_trajectories_are_rows_of_x_y_loss(self):
        content, buffers = self.message([[[1, 2, 3], [4, 5, 6]], [[0, 0, 0]]])
        state = from_message(content, buffers)
        self.assertEqual(state.revision, 3)
        d = state.as_dict()
        self.assertEqual([list(map(float, r)) for r in d["runs"][0]["trajectory"]], [[1, 2, 3], [4, 5, 6]])
        self.assertEqual(len(d["trajectory"]), 1, "the selected run's")
        if numpy is not None:
            self.assertEqual(state.trajectories[0].shape, (2, 3))
        d["runs"][0]["trajectory"][0][0] = 99
        self.assertEqual(float(state.as_dict()["runs"][0]["trajectory"][0][0]), 1.0, "a fresh copy each time")

    def test_a_malformed_message_is_an_error(self):
        content, buffers = self.message([[[1, 2, 3]]])
        with self.assertRaises(ValueError):
            from_message(content, buffers + buffers)
        with self.assertRaises(ValueError):
            from_message(content, [memoryview(b"123")])
        with self.assertRaises(ValueError):
            from_message({"type": "state"}, [])


if __name__ == "__main__":
    unittest.main()
