"""``CPUCompiledModel``: the model lowered to plans of C kernels, one per set of input
shapes (a static model has exactly one, built at compile time; a dynamic one builds and
caches a plan for each new shape it is run with).

A dynamic model does the expensive work on its weights once, at compile time: a plan for
the smallest input shapes it accepts (every dynamic dimension at its lower bound, at least
1) is built then, which claims, folds and packs every weight into the compiled model's
``ConstantCache``; the plan for each shape the model is run with takes them from there, so
building it costs the shape-dependent steps only. Those plans are compiled from one copy
of the model the compiled model keeps and reshapes in place (no clone per shape).

Most new shapes are not compiled at all: the plan comes from the template of the shapes'
regime (``compiler.plan_template``), fitted on a thread after the regime's first size ran
(a model of ``TEMPLATE_AHEAD_OPS``: the plan that packs its weights at compile time is
then the first sample of the regime it most likely runs in, so the fit compiles one plan
fewer) or, for smaller models, after its second."""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from typing import Any

from openvino import Model
from openvino.plugin import DeviceCompiledModel
from openvino.plugin.passes import ConstantCache, shared_clone
from openvino.plugin.reference import ReferencePlan

from .compiler import NotStatic, Plan, compile_plan
from .compiler.plan_template import (
    DEGREES,
    DynamicDims,
    NotPolynomial,
    PlanTemplate,
    TemplateMismatch,
    describe,
)
from .config import DEVICE_ONLY, Execution, compiled_value, resolve_execution
from .heap import RELEASE_BYTES, released
from .infer_request import CPUInferRequest
from .plan_export import exportable, write_plan_export
from .streams import Streams

__all__ = ["CPUCompiledModel"]

#: Plans kept for a dynamic model (least recently used ones are dropped). A plan shares the
#: packed weights and the request's arena, so what it holds of its own is small (about
#: 0.4 MB of steps and records for a MiniLM-sized encoder): enough plans that a workload
#: cycling through a few dozen sequence lengths never plans one twice.
MAX_PLANS = 32
#: A dynamic model of at least this many ops gets the template of a regime after its first
#: size (built on a thread after that run; ``plan_template``): its plans take longer to
#: compile (MiniLM's 700 ops: ~20 ms) than the real runtime takes for a new shape. Its
#: weights are packed at compile time by the first sample plan of its likely regime
#: (``DynamicDims.guess``), which that regime's template then reuses. Fitting the
#: template at compile time instead added ~80 ms to ``compile_model`` of MiniLM, more than
#: its first inference gained. Smaller models get templates only for regimes they run at
#: two sizes.
TEMPLATE_AHEAD_OPS = 64
#: The template thread compiles a sample plan only once no request of the model has
#: started or ended a run for ``TEMPLATE_IDLE_S`` seconds (its Python work holds the GIL
#: and a core from runs in flight), or after waiting ``TEMPLATE_WAIT_S`` seconds for that.
TEMPLATE_IDLE_S = 0.02
TEMPLATE_WAIT_S = 0.5


class ReferenceRun:
    """A model the plan compiler cannot lower as a whole (shapes that depend on values,
    string tensors): every op runs its reference implementation."""

    def __init__(self, model: Model, reason: str) -> None:
        self.plan = ReferencePlan(model)
        self.reason = reason


def _plan_bytes(plan: Plan | ReferenceRun) -> int:
    if not isinstance(plan, Plan):
        return 0
    return plan.arena_size + sum(a.nbytes for a in plan.const_arrays)


def _build_templates(ref: weakref.ref) -> None:
    """The template thread of a compiled model (``start_templates``): fits the pending
    regimes' templates (holding the model while it fits one)."""
    while True:
        cm = ref()
        if cm is None:
            return
        with cm._lock:
            if not cm._pending:
                return
            key, values, plan = cm._pending.pop(0)
        template = cm._fit(key, values, plan, wait=True)
        cm._templates[key] = template or False
        del cm


def _release(state: dict[str, Any]) -> None:
    """Finalizer of a compiled model: drop what it held (its plans, the model and its
    weights, unless someone else still holds them) before the object itself would, then
    hand the freed pages back to the system."""
    held = sum(_plan_bytes(p) for p in (state.get("_plans") or {}).values())
    state.clear()
    released(held)


class CPUCompiledModel(DeviceCompiledModel):
    """Plans by input shapes, the execution settings and the streams its requests run on,
    and the runtime model."""

    def __init__(self, plugin: Any, model: Model, config: dict[str, Any],
                 explicit: set[str] | None = None, plan: Plan | None = None,
                 plan_shapes: tuple[tuple[int, ...], ...] | None = None) -> None:
        """``plan`` (for inputs of ``plan_shapes``): a plan already built for ``model``
        (read from an export), used instead of compiling one for those shapes."""
        super().__init__(plugin, model, config)
        self.execution: Execution = resolve_execution(config, explicit or set())
        self.streams = Streams(self.execution.streams, self.execution.threads,
                               pin=self.execution.pinning)
        self.perf_count = bool(config.get("PERF_COUNT", False))
        self.dq_group = int(config.get("DYNAMIC_QUANTIZATION_GROUP_SIZE", 0) or 0)
        self._plans: OrderedDict[tuple, Plan | ReferenceRun] = OrderedDict()
        self._lock = threading.Lock()
        self._reference: ReferenceRun | None = None
        params = model.get_parameters()
        self._static_shapes = None
        self._cache: ConstantCache | None = None
        if all(p.get_partial_shape().is_static for p in params):
            self._static_shapes = tuple(tuple(p.get_partial_shape().to_shape())
                                        for p in params)
            if plan is not None and plan_shapes == self._static_shapes:
                self._plans[self._static_shapes] = plan
            self.plan_for(self._static_shapes)
        else:
            self._cache = ConstantCache()
            self._shaped: Model | None = None
            self._reshape_in_place = True
            self._dims = DynamicDims([p.get_partial_shape() for p in params])
            #: by regime: its template, None while one is being built, False where the
            #: plans of that regime cannot be described by one (``plan_template``)
            self._templates: dict[tuple, PlanTemplate | bool | None] = {}
            self._pending: list[tuple[tuple, tuple, Plan]] = []
            self._seen: dict[tuple, tuple] = {}  # by regime: the first size compiled
            #: by regime: descriptions of sample plans compiled before its template is fitted
            self._samples: dict[tuple, dict[tuple, Any]] = {}
            self._template_thread: threading.Thread | None = None
            self._run_started = self._run_ended = 0.0  # monotonic times (_wait_idle)
            self._big = len(model.get_ops()) >= TEMPLATE_AHEAD_OPS
            if not (self._big and self._first_sample()):
                self._prepare_weights(params)
        # the temporaries of compiling are free now: their pages go back at once, and those
        # of everything this model holds once it is freed
        if self.held_bytes() >= RELEASE_BYTES:
            released(0)
        weakref.finalize(self, _release, self.__dict__).atexit = False

    def _prepare_weights(self, params: list[Any]) -> None:
        """Build the plan for the smallest shapes the dynamic model accepts, filling the
        weight cache; a model that cannot be compiled for them is left to its first run."""
        shapes = []
        for p in params:
            ps = p.get_partial_shape()
            if ps.rank.is_dynamic:
                return
            dims = []
            for d in ps:
                if d.is_static:
                    dims.append(d.get_length())
                else:
                    lo, hi = d.get_min_length(), d.get_max_length()
                    dims.append(max(lo, 1) if hi < 0 or hi >= 1 else lo)
            shapes.append(tuple(dims))
        try:
            self.plan_for(tuple(shapes))
        except Exception:  # noqa: BLE001  (the model may reject these shapes: not an error)
            return

    # --- plans ---------------------------------------------------------------------------------
    def plan_for(self, shapes: tuple[tuple[int, ...], ...]) -> Plan | ReferenceRun:
        """The plan for inputs of ``shapes`` (compiled on first use). A static model's one
        plan is taken without the lock (requests of every stream ask for it on each run;
        a dict read is atomic, and that plan is never dropped)."""
        if self._static_shapes is not None:
            plan = self._plans.get(shapes)
            if plan is not None:
                return plan
        with self._lock:
            self._run_started = time.monotonic()
            plan = self._plans.get(shapes)
            if plan is not None:
                self._plans.move_to_end(shapes)
                return plan
            plan = self._from_template(shapes)
            if plan is None:
                plan = self._compile(shapes)
                if self._cache is not None and isinstance(plan, Plan):
                    self._cache.sweep()  # what only earlier plans derived (ConstantCache)
                    self._note_compiled(shapes, plan)
            self._plans[shapes] = plan
            while len(self._plans) > MAX_PLANS:
                self._plans.popitem(last=False)
            return plan

    # --- templates (plan_template) ------------------------------------------------------------
    def _from_template(self, shapes: tuple[tuple[int, ...], ...]) -> Plan | None:
        """The plan for ``shapes`` from the template of their regime, if there is one."""
        if self._cache is None:
            return None
        regime = self._dims.regime(shapes)
        if regime is None:
            return None
        template = self._templates.get(regime[0])
        if not isinstance(template, PlanTemplate):
            return None
        return template.instantiate(shapes, regime[1])

    def _note_compiled(self, shapes: tuple[tuple[int, ...], ...], plan: Plan) -> None:
        """A plan compiled in full: in a regime without a template, its first size (of a
        model of ``TEMPLATE_AHEAD_OPS``), else its second, starts that regime's template
        (built after the run, ``start_templates``)."""
        regime = self._dims.regime(shapes)
        if regime is None or regime[0] in self._templates or not self._reshape_in_place:
            return
        seen = self._seen.setdefault(regime[0], regime[1])
        if seen == regime[1] and not self._big:
            return
        self._templates[regime[0]] = None
        self._pending.append((regime[0], regime[1], plan))

    def _first_sample(self) -> bool:
        """At compile time: the first sample plan of the regime the model most likely runs
        in (``DynamicDims.guess``), which packs the weights and is kept for that regime's
        template. False when no such plan compiles."""
        for key in self._dims.guess():
            sizes = self._dims.samples(key, DEGREES[0])
            if sizes is None:
                continue
            try:
                plan = self._build(self._dims.shapes(key, sizes[0]))
            except Exception:  # noqa: BLE001  (the model may reject these shapes)
                continue
            if isinstance(plan, Plan):
                try:
                    self._samples[key] = {sizes[0]: describe(plan)}
                except TemplateMismatch:  # plans a template cannot describe
                    self._templates[key] = False
                return True
        return False

    def start_templates(self) -> None:
        """Build the templates of the regimes met since the last call, on a thread of their
        own (an infer request calls this after its run, so that run is not slowed)."""
        self._run_ended = time.monotonic()
        if not self._pending or (self._template_thread is not None
                                 and self._template_thread.is_alive()):
            return
        t = threading.Thread(target=_build_templates, args=(weakref.ref(self),),
                             name="ov-cpu-templates", daemon=True)
        self._template_thread = t
        t.start()

    def _wait_idle(self) -> None:
        """Until no run of this model started or ended for ``TEMPLATE_IDLE_S`` seconds, for
        at most ``TEMPLATE_WAIT_S``: the template thread's sample compiles keep clear of
        the requests' runs (of a workload that runs without pause, they wait that long)."""
        give_up = time.monotonic() + TEMPLATE_WAIT_S
        while True:
            now = time.monotonic()
            if now >= give_up or (self._run_ended >= self._run_started
                                  and now - self._run_ended >= TEMPLATE_IDLE_S):
                return
            time.sleep(TEMPLATE_IDLE_S / 4)

    def wait_templates(self) -> None:
        """Wait for the templates being built (``start_templates``)."""
        t = self._template_thread
        if t is not None:
            t.join()

    def _fit(self, key: tuple, values: tuple | None = None, plan: Plan | None = None,
             wait: bool = False) -> PlanTemplate | None:
        """The template of regime ``key`` from plans compiled at its sample sizes (each
        under the lock, so that runs wait at most one compile; those of ``_samples`` are
        reused), checked also on ``plan`` (compiled for ``values``) when given, which
        replaces the sizes' own check where every variable's value lies off the grid
        (a term of a higher degree in any of them shows there as well); None when the
        plans do not fit one. ``wait``: each sample compile waits for a pause in the
        runs (``_wait_idle``)."""
        made = self._samples.setdefault(key, {})
        try:
            own = describe(plan) if plan is not None else None
            first = own
            for degree in DEGREES:
                sizes = self._dims.samples(key, degree)
                if sizes is None:
                    return None
                grid = sizes[:-1]
                if own is not None and all(values[k] not in {g[k] for g in grid}
                                           for k in range(len(values))):
                    sizes = grid
                samples = []
                for v in sizes:
                    if v == values:
                        samples.append((v, own))
                        continue
                    if v not in made:
                        if wait:
                            self._wait_idle()
                        with self._lock:
                            if self._cache is None or not self._reshape_in_place:
                                return None
                            sample = self._build(self._dims.shapes(key, v))
                            self._cache.sweep()
                        if not isinstance(sample, Plan):
                            return None
                        made[v] = describe(sample)
                        if first is None:
                            first = made[v]
                        PlanTemplate.same_structure(first, made[v])  # fail fast
                    samples.append((v, made[v]))
                if own is not None and values not in sizes:
                    samples.append((values, own))  # the size the model ran checks too
                try:
                    return PlanTemplate.fit(self._dims, key, samples, degree, own)
                except NotPolynomial:
                    continue
            return None
        except TemplateMismatch:
            return None
        except Exception:  # noqa: BLE001  (a size the model rejects: no template)
            return None
        finally:
            self._samples.pop(key, None)

    def _compile(self, shapes: tuple[tuple[int, ...], ...]) -> Plan | ReferenceRun:
        return self._build(shapes)

    def _build(self, shapes: tuple[tuple[int, ...], ...]) -> Plan | ReferenceRun:
        try:
            if self._cache is not None and self._reshape_in_place:
                plan = self._compile_reshaped(shapes)
                if plan is not None:
                    return plan
            return compile_plan(self.model, shapes, cache=self._cache, dq_group=self.dq_group)
        except NotStatic as exc:
            if self._reference is None:
                self._reference = ReferenceRun(self.model, str(exc))
            return self._reference

    def _compile_reshaped(self, shapes: tuple[tuple[int, ...], ...]) -> Plan | None:
        """The plan of a dynamic model compiled from the compiled model's own copy of it,
        reshaped in place (no clone of the model per shape). None when the plan runs ops
        in Python: their nodes must keep their shapes while the plan lives, so such a model
        compiles each shape from a clone of its own (the SDK's ``static_model``)."""
        if self._shaped is None:
            self._shaped = shared_clone(self.model)
        try:
            self._shaped.reshape({i: list(s) for i, s in enumerate(shapes)})
        except BaseException:
            self._shaped = None  # half reshaped: the next shape starts from a new copy
            raise
        plan = compile_plan(self._shaped, None, cache=self._cache, dq_group=self.dq_group)
        if plan.callbacks:
            self._reshape_in_place = False
            return None
        return plan

    def held_bytes(self) -> int:
        """Bytes of the packed constants and arena sizes of the plans held."""
        with self._lock:
            plans = list(self._plans.values())
        return sum(_plan_bytes(p) for p in plans)

    def latest_plan(self) -> Plan | ReferenceRun | None:
        with self._lock:
            return next(reversed(self._plans.values()), None) if self._plans else None

    # --- DeviceCompiledModel -------------------------------------------------------------------
    def create_sync_request(self) -> CPUInferRequest:
        return CPUInferRequest(self)

    def compiled_properties(self) -> dict[str, Any]:
        props = super().compiled_properties()
        props["OPTIMAL_NUMBER_OF_INFER_REQUESTS"] = self.execution.optimal_requests
        props["NUM_STREAMS"] = self.execution.reported_streams
        props["INFERENCE_NUM_THREADS"] = self.execution.reported_threads
        return props

    def get_property(self, key: str) -> Any:
        ro = self.compiled_properties()
        if key in ("NUM_STREAMS", "INFERENCE_NUM_THREADS"):
            return ro[key]
        if key in DEVICE_ONLY:
            raise RuntimeError(f"Property '{key}' is not supported by this compiled model "
                               f"({self.plugin.name})")
        value = super().get_property(key)
        if key == "SUPPORTED_PROPERTIES":
            return {k: v for k, v in value.items() if k not in DEVICE_ONLY}
        return compiled_value(key, value)

    def get_runtime_model(self) -> Model:
        from .runtime_model import runtime_model

        plan = self.latest_plan()
        if not isinstance(plan, Plan):
            return self.model.clone()
        if plan.graph is None:  # read from an export: describe the same plan compiled again
            plan = compile_plan(self.model, plan.input_shapes, dq_group=self.dq_group)
        return runtime_model(plan, self.model)

    def release_memory(self) -> None:
        """Plans of a dynamic model are rebuilt when needed; a static one keeps its own."""
        with self._lock:
            if self._static_shapes is None:
                self._plans.clear()
                if self._cache is not None:
                    self._cache.clear()
                    self._templates.clear()
                    self._pending.clear()

    def export(self) -> bytes:
        """The runtime model, its plain config values and, for a static model whose plan
        runs only kernels, the plan (``plan_export``)."""
        plan = None
        if self._static_shapes is not None:
            built = self.plan_for(self._static_shapes)
            if exportable(built):
                plan = built
        return write_plan_export(self.model, self.config, plan,
                                 self._static_shapes if plan is not None else None)
