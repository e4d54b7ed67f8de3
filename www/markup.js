// The widget's markup: one gdviz instance. `mount()` clones it into its element and prefixes
// every id (and every reference to one) so several instances can live on one page. Static text
// only: no option value is ever put into markup.
export const MARKUP = `
  <div class="gdviz-top">
    <h1 class="gdviz-title">gdviz <span class="gdviz-tagline">gradient descent, step by step</span></h1>
    <p id="describe" class="gdviz-describe"></p>
  </div>

  <nav class="gdviz-lessons" data-group="lesson" aria-label="Lessons">
    <label for="lesson">Lesson</label>
    <select id="lesson">
      <option value="">Free exploration</option>
    </select>
  </nav>
  <section id="lesson-box" class="gdviz-lesson-box" aria-live="polite" hidden>
    <details id="lesson-details" open>
      <summary><h2 id="lesson-title" class="gdviz-subtitle"></h2></summary>
      <p id="lesson-text"></p>
      <div id="lesson-choices" class="gdviz-lesson-choices" role="group" aria-label="Versions of this lesson" hidden></div>
      <button id="lesson-exercise" class="gdviz-lesson-exercise" type="button" hidden>Try the exercise</button>
    </details>
  </section>

  <section id="exercise-box" class="gdviz-exercise" aria-labelledby="exercise-title" hidden>
    <h2 id="exercise-title" class="gdviz-subtitle">Exercise</h2>
    <p id="exercise-prompt" class="gdviz-exercise-prompt"></p>
    <p id="exercise-hint" class="gdviz-hint"></p>
    <div id="exercise-choices" class="gdviz-exercise-choices" role="group" aria-labelledby="exercise-prompt"></div>
    <div id="exercise-verdict" class="gdviz-exercise-verdict" role="status" aria-live="polite" hidden>
      <p id="exercise-result" class="gdviz-exercise-result"></p>
      <p id="exercise-why"></p>
    </div>
    <div class="gdviz-exercise-actions">
      <button id="exercise-skip" type="button" hidden>Show the result now</button>
      <button id="exercise-again" type="button" hidden>Try again</button>
    </div>
  </section>

  <div id="error" class="gdviz-error" role="alert" hidden></div>
  <div id="notices" class="gdviz-notices" role="status" aria-live="polite"></div>

  <div class="gdviz-app">
    <section class="gdviz-figure" aria-label="Contour plot and trajectory">
      <div class="gdviz-view-bar">
        <div class="gdviz-mode" role="group" aria-label="What the optimizer trains">
          <button id="mode-surfaces" type="button" aria-pressed="true" title="Optimizers on 2D cost surfaces">Surfaces</button>
          <button id="mode-network" type="button" aria-pressed="false" title="The same optimizer training a small neural network on a dataset">Network</button>
        </div>
        <button id="controls-toggle" class="gdviz-controls-toggle" type="button" aria-expanded="false" aria-controls="controls" title="Show or hide the settings">Settings</button>
        <button id="copy-link" type="button" title="Copy a link to exactly this state">Copy link</button>
        <button id="download-png" class="gdviz-surfaces-only" type="button" title="Download the plot as a PNG image">PNG</button>
        <button id="download-csv" class="gdviz-surfaces-only" type="button" title="Download every run's path as CSV">CSV</button>
        <button id="show-code" class="gdviz-surfaces-only" type="button" aria-expanded="false" aria-controls="code-box" title="The selected run as a PyTorch or NumPy script that prints the same path">Code</button>
        <button id="show-embed" class="gdviz-teacher" type="button" aria-expanded="false" aria-controls="embed-box" title="Put this state in a course page: a link, an iframe, a gd-viz element or a mount() call">Embed</button>
        <button id="present-toggle" class="gdviz-surfaces-only gdviz-teacher" type="button" aria-pressed="false" title="Lecture mode: the plot filling the screen in large type, for a projector; ? lists its keys">Present</button>
        <button id="view3d-toggle" class="gdviz-surfaces-only" type="button" aria-pressed="false" aria-controls="view3d" title="Show the surface in 3D; drag it or use the arrow keys to turn it">3D view</button>
      </div>
      <div id="share-box" class="gdviz-share-box" hidden>
        <label for="share-url" id="share-label">Link to this state</label>
        <input id="share-url" type="text" readonly>
      </div>
      <div id="code-box" class="gdviz-code-box" hidden>
        <div class="gdviz-code-bar">
          <span id="code-title" class="gdviz-code-title">The selected run as a script</span>
          <label class="gdviz-code-lang">in <select id="code-lang" aria-label="The script's language">
            <option value="torch">PyTorch</option>
            <option value="numpy">NumPy</option>
          </select></label>
          <button id="copy-code" type="button">Copy</button>
          <button id="download-code" type="button">Download</button>
          <button id="close-code" type="button" aria-label="Close the code">Close</button>
        </div>
        <p id="code-hint" class="gdviz-hint">Standalone: <code>python3 gdviz-run.py</code> prints the path as CSV, the same numbers as <code>gdviz trace</code> with these settings.</p>
        <pre id="code-text" class="gdviz-code" tabindex="0" aria-labelledby="code-title"></pre>
      </div>
      <div class="gdviz-present-bar">
        <button id="present-help" type="button" aria-expanded="false" aria-controls="present-keys">? Keys</button>
        <button id="present-exit" type="button">Exit lecture mode (Esc)</button>
      </div>
      <div id="present-keys" class="gdviz-present-keys" role="region" aria-label="Keyboard shortcuts of lecture mode" hidden>
        <dl id="present-key-list"></dl>
      </div>
      <div id="embed-box" class="gdviz-embed-box" hidden>
        <div class="gdviz-code-bar">
          <span class="gdviz-code-title">Put this state in a course page</span>
          <button id="close-embed" type="button" aria-label="Close the embed snippets">Close</button>
        </div>
        <fieldset class="gdviz-embed-groups">
          <legend>Controls students keep</legend>
          <div id="embed-groups" class="gdviz-embed-checks"></div>
        </fieldset>
        <p class="gdviz-hint">The unchecked groups are hidden from students; with every group (or none) checked, they keep every control.</p>
        <label for="embed-link">Link: the full page</label>
        <div class="gdviz-embed-row"><textarea id="embed-link" readonly rows="2" spellcheck="false"></textarea><button id="copy-embed-link" type="button">Copy</button></div>
        <label for="embed-iframe">An iframe, for pages that take no scripts</label>
        <div class="gdviz-embed-row"><textarea id="embed-iframe" readonly rows="3" spellcheck="false"></textarea><button id="copy-embed-iframe" type="button">Copy</button></div>
        <p id="embed-height" class="gdviz-hint" aria-live="polite"></p>
        <label for="embed-element">The gd-viz element, for pages that take a script tag</label>
        <div class="gdviz-embed-row"><textarea id="embed-element" readonly rows="3" spellcheck="false"></textarea><button id="copy-embed-element" type="button">Copy</button></div>
        <label for="embed-mount">A mount() call, for pages that script it</label>
        <div class="gdviz-embed-row"><textarea id="embed-mount" readonly rows="5" spellcheck="false"></textarea><button id="copy-embed-mount" type="button">Copy</button></div>
      </div>
      <section id="net-box" class="gdviz-net" aria-label="The network and its training" hidden>
        <p id="net-progress" class="gdviz-net-progress" role="status"></p>
        <div class="gdviz-net-views">
          <div id="net-boundary-box" class="gdviz-net-boundary">
            <canvas id="net-boundary" role="img" aria-label="Decision boundary" aria-describedby="net-boundary-text"></canvas>
            <p id="net-boundary-text" class="gdviz-visually-hidden"></p>
          </div>
          <div class="gdviz-net-side">
            <div id="net-curves-box" class="gdviz-net-curves">
              <canvas id="net-curves" role="img" aria-label="Loss and accuracy during training" aria-describedby="net-curves-text"></canvas>
              <p id="net-curves-text" class="gdviz-visually-hidden"></p>
            </div>
            <div id="net-diagram-box" class="gdviz-net-diagram">
              <canvas id="net-diagram" role="img" aria-label="The network and its weights" aria-describedby="net-diagram-text"></canvas>
              <p id="net-diagram-text" class="gdviz-visually-hidden"></p>
            </div>
          </div>
        </div>
        <div id="net-legend" class="gdviz-legend" role="group" aria-label="Runs: choose the one the slider, the settings and the views follow" hidden></div>
        <dl class="gdviz-readouts gdviz-net-readouts" aria-live="off">
          <div><dt>step <span class="gdviz-run-tag" data-runs hidden><span class="gdviz-swatch"></span><span class="gdviz-run-tag-text"></span></span></dt><dd id="net-step">–</dd></div>
          <div><dt>train loss</dt><dd id="net-train-loss">–</dd></div>
          <div><dt>test loss</dt><dd id="net-test-loss">–</dd></div>
          <div id="net-acc-row"><dt>test accuracy</dt><dd id="net-test-acc">–</dd></div>
        </dl>
        <section id="net-update" class="gdviz-update gdviz-net-update" aria-label="The next update in numbers, tensor by tensor">
          <h2 id="net-update-title" class="gdviz-subtitle">The next update</h2>
          <p id="net-update-rule" class="gdviz-rule"></p>
          <pre id="net-update-lines" tabindex="0" role="region" aria-label="Per tensor: the norm of the weights, of the gradient, of the step, and the step's size relative to the weights"></pre>
          <p id="net-update-note" class="gdviz-net-land-caption"></p>
        </section>
        <details id="net-land" class="gdviz-net-land">
          <summary>Loss landscape: the training loss over a plane through the weights</summary>
          <div class="gdviz-net-planes" role="group" aria-label="Plane through the weights">
            <span class="gdviz-hint">plane</span>
            <button id="net-plane-pca" type="button" aria-pressed="true">pca</button>
            <button id="net-plane-random" type="button" aria-pressed="false">random</button>
            <button id="net-plane-ends" type="button" disabled aria-describedby="net-plane-ends-why" title="The plane through the first weights, the selected run's end and another run's end (the next run's, or the one chosen beside)">ends</button>
            <span id="net-plane-ends-why" class="gdviz-hint">ends goes through a second run's end: add an optimizer under Race</span>
            <label id="net-plane-with-box" class="gdviz-hint" hidden>and the end of <select id="net-plane-with" aria-label="The ends plane also goes through the end of"></select></label>
          </div>
          <div class="gdviz-net-land-views">
            <div id="net-landscape-box" class="gdviz-net-landscape">
              <canvas id="net-landscape" role="img" aria-label="Loss landscape with the path projected onto it" aria-describedby="net-landscape-text"></canvas>
              <p id="net-landscape-text" class="gdviz-visually-hidden"></p>
            </div>
            <div id="net-honesty-box" class="gdviz-net-honesty">
              <canvas id="net-honesty" role="img" aria-label="The path's loss, the plane's loss at its projection, and its distance from the plane" aria-describedby="net-honesty-text"></canvas>
              <p id="net-honesty-text" class="gdviz-visually-hidden"></p>
            </div>
          </div>
          <p id="net-land-caption" class="gdviz-net-land-caption" aria-live="off"></p>
          <div id="net-line-box" class="gdviz-net-line">
            <canvas id="net-line" role="img" aria-label="The training loss along a straight line through the weights: from the first to the last, or between two runs' ends" aria-describedby="net-line-caption"></canvas>
          </div>
          <p id="net-line-caption" class="gdviz-net-land-caption" aria-live="off"></p>
        </details>
        <details id="net-sharp" class="gdviz-net-land">
          <summary>Sharpness: the loss's largest curvature against the rate's limit</summary>
          <div id="net-sharpness-box" class="gdviz-net-sharpness">
            <canvas id="net-sharpness" role="img" aria-label="The sharpness λmax per step against the learning rate's limit" aria-describedby="net-sharp-caption"></canvas>
          </div>
          <p id="net-sharp-caption" class="gdviz-net-land-caption" aria-live="off"></p>
        </details>
      </section>
      <div id="plot-row" class="gdviz-plot-row gdviz-surfaces-only">
      <div id="plot-box" class="gdviz-plot-box">
        <canvas id="heat" class="gdviz-heat" aria-hidden="true" hidden></canvas>
        <canvas id="bg" class="gdviz-layer gdviz-bg" aria-hidden="true"></canvas>
        <canvas id="overlay" class="gdviz-layer gdviz-overlay" tabindex="0" role="img" aria-label="Contour plot of the cost surface with the optimizer's path. Click or drag, or use the arrow keys, to move the start point." aria-describedby="plot-summary"></canvas>
        <canvas id="view3d" class="gdviz-layer gdviz-view3d" tabindex="0" role="img" aria-label="The cost surface in 3D with the optimizer's path. Drag or use the arrow keys to turn it." hidden></canvas>
        <p id="view3d-note" class="gdviz-view-note" role="status" hidden></p>
      </div>
      <p id="plot-summary" class="gdviz-visually-hidden"></p>
      <div id="data-box" class="gdviz-data-box" hidden>
        <canvas id="data" role="img" aria-label="The data and the model at the step shown, with the current batch highlighted"></canvas>
        <p id="data-note" class="gdviz-view-note" role="status" hidden></p>
      </div>
      </div>

      <p id="key" class="gdviz-key gdviz-surfaces-only"></p>

      <div id="legend" class="gdviz-legend gdviz-surfaces-only" role="group" aria-label="Runs: choose the one the slider and settings drive" hidden></div>

      <div class="gdviz-lr-row" data-group="lr">
        <label for="lr">Learning rate γ <span class="gdviz-run-tag" data-runs hidden><span class="gdviz-swatch"></span><span class="gdviz-run-tag-text"></span></span></label>
        <div class="gdviz-lr-track">
          <input id="lr" type="range" min="-5" max="1" step="0.01" value="-3" aria-valuetext="0.001" aria-describedby="critical">
          <span id="critical-mark" class="gdviz-critical-mark gdviz-surfaces-only" title="Critical learning rate" hidden></span>
        </div>
        <input id="lr-value" type="number" min="0" max="10" step="any" value="0.001" aria-label="Learning rate γ value">
      </div>
      <p id="critical" class="gdviz-critical gdviz-surfaces-only" data-group="lr"></p>

      <div class="gdviz-player" data-group="player" role="group" aria-label="Playback">
        <button id="play" type="button" title="Animate the run from the start">▶ Play</button>
        <button id="pause" type="button" title="Pause the animation">❚❚ Pause</button>
        <button id="step" type="button" title="One step forward">Step</button>
        <button id="reset" type="button" title="Back to the start point">Reset</button>
        <label class="gdviz-speed">Speed
          <input id="speed" type="range" min="0" max="3" step="0.01" value="1.7" aria-valuetext="50 steps per second">
        </label>
        <output id="speed-value" class="gdviz-speed-value" for="speed">50/s</output>
      </div>
      <label class="gdviz-scrub" data-group="player">Step
        <input id="scrub" type="range" min="0" max="1000" step="1" value="1000">
      </label>

      <div class="gdviz-results gdviz-surfaces-only">
      <dl class="gdviz-readouts" aria-live="off">
        <div data-runs hidden><dt>run</dt><dd><span class="gdviz-run-tag"><span class="gdviz-swatch"></span><span class="gdviz-run-tag-text"></span></span></dd></div>
        <div><dt>step</dt><dd id="readout-step">–</dd></div>
        <div><dt>θ = (x, y)</dt><dd id="readout-theta">–</dd></div>
        <div><dt>f(θ)</dt><dd id="readout-loss">–</dd></div>
        <div><dt>‖∇f(θ)‖</dt><dd id="readout-grad">–</dd></div>
        <div class="gdviz-status-row"><dt>status</dt><dd id="status" class="gdviz-status">loading…</dd></div>
      </dl>

      <div class="gdviz-charts">
      <p class="gdviz-veil-note">The loss per step shows once you answer the exercise.</p>
      <div id="loss-box" class="gdviz-loss-box">
        <canvas id="loss-axes" aria-hidden="true"></canvas>
        <canvas id="loss-lines" aria-hidden="true"></canvas>
        <canvas id="loss" role="img" aria-label="Loss per step"></canvas>
      </div>
      <figure id="rates-box" class="gdviz-rates-box" hidden>
        <div class="gdviz-rates-plot">
          <canvas id="rates-below" aria-hidden="true"></canvas>
          <canvas id="rates" role="img" aria-label="Learning rate per step, and the rate above which a step overshoots"></canvas>
        </div>
        <figcaption id="rates-caption"></figcaption>
      </figure>
      </div>
      </div>

      <section id="update" class="gdviz-update gdviz-surfaces-only" aria-label="The next update in numbers">
        <h2 id="update-title" class="gdviz-subtitle">The next update</h2>
        <p id="update-rule" class="gdviz-rule"></p>
        <pre id="update-lines"></pre>
      </section>
    </section>

    <aside id="controls" class="gdviz-controls" aria-label="Settings">
      <fieldset id="net-settings" class="gdviz-network-only" data-group="network">
        <legend>Network and data</legend>
        <label for="dataset">Dataset</label>
        <select id="dataset">
          <option value="moons">Two moons (classes)</option>
          <option value="circles">Circles (classes)</option>
          <option value="spiral">Spiral (classes)</option>
          <option value="xor">XOR (classes)</option>
          <option value="blobs">Blobs (classes)</option>
          <option value="sine">Sine (regression)</option>
        </select>
        <label for="hidden">Hidden layers (units each, e.g. 8,8)</label>
        <input id="hidden" type="text" spellcheck="false" autocomplete="off" value="8,8" aria-describedby="hidden-help">
        <p id="hidden-help" class="gdviz-hint">1 to 3 layers of 2 to 32 units; press Enter to apply.</p>
        <label for="activation">Activation</label>
        <select id="activation">
          <option value="tanh">tanh</option>
          <option value="relu">ReLU</option>
          <option value="sigmoid">sigmoid</option>
        </select>
        <div class="gdviz-two-labelled">
          <div>
            <label for="data_seed">Data seed</label>
            <input id="data_seed" type="number" min="0" step="1" value="0">
          </div>
          <div>
            <label for="init_seed">Weights seed</label>
            <input id="init_seed" type="number" min="0" step="1" value="0">
          </div>
        </div>
        <label for="curves">Loss curves</label>
        <select id="curves" aria-describedby="curves-help">
          <option value="step">per step</option>
          <option value="epoch">per epoch</option>
        </select>
        <p id="curves-help" class="gdviz-hint">An epoch is one pass over the training examples: per epoch, runs of different batch sizes line up by the examples seen.</p>
      </fieldset>

      <fieldset class="gdviz-surfaces-only" data-group="surface">
        <legend>Surface</legend>
        <label for="surface">Cost surface</label>
        <select id="surface"></select>
        <label for="expr">or type f(x, y)</label>
        <div class="gdviz-expr-row">
          <input id="expr" type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                 placeholder="x^2 + 10*y^2" aria-describedby="expr-error expr-help">
          <button id="expr-apply" type="button" title="Draw this function (or press Enter)">Draw</button>
        </div>
        <p id="expr-error" class="gdviz-expr-error" role="alert" hidden></p>
        <p id="expr-help" class="gdviz-hint">+ − * / ^, sin cos tan exp log sqrt abs tanh sigmoid, min max pow (two arguments), pi, e</p>
        <div id="expr-view" class="gdviz-expr-view" hidden>
          <label for="xmin">x from</label>
          <input id="xmin" type="number" step="any"><span>to</span>
          <input id="xmax" type="number" step="any" aria-label="x to">
          <label for="ymin">y from</label>
          <input id="ymin" type="number" step="any"><span>to</span>
          <input id="ymax" type="number" step="any" aria-label="y to">
        </div>
        <div id="surface-params"></div>
      </fieldset>

      <fieldset data-group="optimizer">
        <legend>Optimizer <span class="gdviz-run-tag" data-runs hidden><span class="gdviz-swatch"></span><span class="gdviz-run-tag-text"></span></span></legend>
        <label for="optimizer">Update rule</label>
        <select id="optimizer"></select>
        <p id="rule" class="gdviz-rule"></p>


        <div class="gdviz-hyper" data-hyper="momentum" hidden>
          <label for="momentum">Momentum μ</label>
          <div class="gdviz-pair">
            <input id="momentum" type="range" min="0" max="0.99" step="0.01" value="0.9">
            <input id="momentum-value" type="number" min="0" max="0.999" step="any" value="0.9" aria-label="Momentum μ value">
          </div>
        </div>
        <div class="gdviz-hyper" data-hyper="beta1" hidden>
          <label for="beta1">β₁ (first moment decay)</label>
          <div class="gdviz-pair">
            <input id="beta1" type="range" min="0" max="0.99" step="0.01" value="0.9">
            <input id="beta1-value" type="number" min="0" max="0.9999" step="any" value="0.9" aria-label="β₁ value">
          </div>
        </div>
        <div class="gdviz-hyper" data-hyper="beta2" hidden>
          <label for="beta2">β₂ (second moment decay)</label>
          <div class="gdviz-pair">
            <input id="beta2" type="range" min="0.9" max="0.9999" step="0.0001" value="0.999">
            <input id="beta2-value" type="number" min="0" max="0.99999" step="any" value="0.999" aria-label="β₂ value">
          </div>
        </div>
        <div class="gdviz-hyper" data-hyper="decay" hidden>
          <label for="decay">Decay α</label>
          <div class="gdviz-pair">
            <input id="decay" type="range" min="0" max="0.999" step="0.001" value="0.99">
            <input id="decay-value" type="number" min="0" max="0.9999" step="any" value="0.99" aria-label="Decay α value">
          </div>
        </div>
        <div class="gdviz-hyper" data-hyper="rho" hidden>
          <label for="rho">Decay ρ</label>
          <input id="rho" type="number" min="0" max="1" step="any" value="0.9">
        </div>
        <div class="gdviz-hyper" data-hyper="eps" hidden>
          <label for="eps">ε</label>
          <input id="eps" type="number" min="0" step="any" value="1e-8">
        </div>
        <div class="gdviz-hyper" data-hyper="weight_decay" hidden>
          <label for="weight_decay">Weight decay λ</label>
          <input id="weight_decay" type="number" min="0" step="any" value="0">
        </div>
        <div class="gdviz-hyper gdviz-flag" data-hyper="amsgrad" hidden>
          <label><input id="amsgrad" type="checkbox"> AMSGrad (divide by the largest v so far)</label>
        </div>
        <div class="gdviz-hyper gdviz-flag" data-hyper="centered" hidden>
          <label><input id="centered" type="checkbox"> Centred (divide by the gradient's variance)</label>
        </div>
        <div class="gdviz-hyper gdviz-flag" data-hyper="decoupled_weight_decay" hidden>
          <label><input id="decoupled_weight_decay" type="checkbox"> Decoupled weight decay (as AdamW)</label>
        </div>
        <div class="gdviz-hyper" data-hyper="line_search" hidden>
          <label for="line_search">Line search</label>
          <select id="line_search">
            <option value="none">none (a fixed step γ)</option>
            <option value="strong_wolfe">strong Wolfe (torch's)</option>
          </select>
        </div>
        <details id="hyper-advanced" class="gdviz-advanced" hidden>
          <summary>Advanced</summary>
          <div class="gdviz-hyper" data-hyper="dampening" hidden>
            <label for="dampening">Dampening τ</label>
            <input id="dampening" type="number" min="0" max="1" step="any" value="0">
          </div>
          <div class="gdviz-hyper" data-hyper="lr_decay" hidden>
            <label for="lr_decay">Learning-rate decay η</label>
            <input id="lr_decay" type="number" min="0" step="any" value="0">
          </div>
          <div class="gdviz-hyper" data-hyper="initial_accumulator" hidden>
            <label for="initial_accumulator">Initial accumulator s₀</label>
            <input id="initial_accumulator" type="number" min="0" step="any" value="0">
          </div>
          <div class="gdviz-hyper" data-hyper="momentum_decay" hidden>
            <label for="momentum_decay">Momentum decay ψ</label>
            <input id="momentum_decay" type="number" min="0" step="any" value="0.004">
          </div>
          <div class="gdviz-hyper" data-hyper="history_size" hidden>
            <label for="history_size">History size m</label>
            <input id="history_size" type="number" min="1" max="1000" step="1" value="100">
          </div>
          <div class="gdviz-hyper" data-hyper="etas" hidden>
            <label for="etas-0">Step factors η₋, η₊</label>
            <div class="gdviz-two">
              <input id="etas-0" type="number" min="0" max="1" step="any" value="0.5" aria-label="η₋, the factor after a sign flip">
              <input id="etas-1" type="number" min="1" step="any" value="1.2" aria-label="η₊, the factor while the sign holds">
            </div>
          </div>
          <div class="gdviz-hyper" data-hyper="step_sizes" hidden>
            <label for="step_sizes-0">Step bounds Γmin, Γmax</label>
            <div class="gdviz-two">
              <input id="step_sizes-0" type="number" min="0" step="any" value="1e-6" aria-label="Γmin, the smallest step size">
              <input id="step_sizes-1" type="number" min="0" step="any" value="50" aria-label="Γmax, the largest step size">
            </div>
          </div>
        </details>
      </fieldset>

      <fieldset data-group="schedule">
        <legend>Schedule and clipping <span class="gdviz-run-tag" data-runs hidden><span class="gdviz-swatch"></span><span class="gdviz-run-tag-text"></span></span></legend>
        <label for="schedule-kind">Learning-rate schedule</label>
        <select id="schedule-kind"></select>
        <div id="schedule-row" class="gdviz-schedule-row" hidden>
          <label for="schedule">Its settings (torch's lr_scheduler arguments)</label>
          <input id="schedule" type="text" spellcheck="false" autocomplete="off">
        </div>
        <div class="gdviz-two-labelled">
          <div>
            <label for="clip_norm">Clip norm</label>
            <input id="clip_norm" type="number" min="0" step="any" placeholder="none">
          </div>
          <div>
            <label for="clip_value">Clip value</label>
            <input id="clip_value" type="number" min="0" step="any" placeholder="none">
          </div>
        </div>
      </fieldset>

      <fieldset data-group="variant">
        <legend>Gradient <span class="gdviz-run-tag" data-runs hidden><span class="gdviz-swatch"></span><span class="gdviz-run-tag-text"></span></span></legend>
        <label for="variant">Variant</label>
        <select id="variant">
          <option value="batch">Batch: all terms each step</option>
          <option value="stochastic">Stochastic: one term per step</option>
          <option value="minibatch">Mini-batch: b terms per step</option>
        </select>
        <p id="variant-note" class="gdviz-hint" hidden>This optimizer evaluates f itself (its Hessian, line search or closure), so it steps on all the terms.</p>
        <div class="gdviz-row" id="batch-row">
          <label for="batch">Batch size b</label>
          <input id="batch" type="number" min="1" max="50" step="1" value="10">
        </div>
        <div class="gdviz-row" id="seed-row">
          <label for="seed">Seed</label>
          <input id="seed" type="number" min="0" step="1" value="0">
        </div>
        <div class="gdviz-row" id="noise-row">
          <label for="noise">Noise scale</label>
          <input id="noise" type="number" min="0" step="any" value="1">
        </div>
      </fieldset>

      <fieldset data-group="race">
        <legend>Race</legend>
        <p class="gdviz-hint">Run up to four optimizers from the same start (in Network mode, from the same initial weights). "Add an optimizer" copies the selected run; change the copy above. The slider and settings drive the selected run.</p>
        <div id="race-rows" role="radiogroup" aria-label="Selected run"></div>
        <button id="race-add" type="button">Add an optimizer</button>
        <button id="race-clear" type="button" hidden>Back to one</button>
      </fieldset>

      <fieldset data-group="steps">
        <legend>Run</legend>
        <div class="gdviz-row">
          <label for="steps">Steps</label>
          <input id="steps" type="number" min="1" max="100000" step="1" value="1000">
        </div>
        <p class="gdviz-hint gdviz-surfaces-only">Click or drag on the plot to move the start point; on the focused plot, the arrow keys move it (Shift for bigger steps) and 1–4 select a run.</p>
      </fieldset>
    </aside>
  </div>

  <p class="gdviz-foot">
    Optimizers follow PyTorch's <code>torch.optim</code> update rules exactly, in double precision; gradients are exact.
  </p>
`;
