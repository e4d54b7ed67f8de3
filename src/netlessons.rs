//! The texts of Network mode's lessons. They are kept apart from [`crate::lessons`] (whose
//! entries for these lessons have an empty `text`) so that only the second module carries them:
//! it trains the networks these lessons are about and is loaded with them, while the first
//! module, which every page loads, stays within its size budget.

/// The text of Network mode's lesson `id`; `None` for any other id.
pub fn text(id: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
}

/// Each Network mode lesson's id and its two or three sentences for the student, every claim
/// checked by a test in [`crate::lessons`].
static TEXTS: [(&str, &str); 7] = [
    (
        "spiral",
        "Now a real neural network: a 2-8-8-1 tanh network (105 weights and biases) classifying two spiral arms that wind around each other, which no straight line separates. Two runs race from the same weights for 1000 full-batch steps: SGD at γ = 0.5 (run 1, orange) classifies 61.5% of the training examples; Adam at γ = 0.01 (run 2, blue) gets 99% of them, and 85% of the test examples it never trained on. The slider drives Adam (run 2). Watch Adam's test loss (blue, dashed): it is lowest at step 337 (0.49), then climbs to 0.90 while its training loss (solid) keeps falling. The network has started to learn the training points' noise rather than the spiral: overfitting, which is why practitioners watch a held-out set and stop early.",
    ),
    (
        "batch-size",
        "Full-batch gradient descent takes the gradient over all 200 training examples at every step; mini-batch SGD takes it over 8 of them, a different 8 each time. Two runs race on the moons from the same weights at the same γ = 0.5: run 1 uses every example, run 2 batches of 8. Run 1's training loss falls at every one of its 1000 steps; run 2's rises at 433 of them, because each step follows 8 examples' gradient, not the whole loss's. Yet a step of run 2 costs 1/25 of one of run 1's: its 1000 steps take 8000 examples' gradients, as many as run 1's first 40 steps, after which run 1's loss is 0.366 (82% of the training examples right), while run 2 ends at 0.0050 (all of them right). Run 1 needs 638 steps, 16 times the work, to get as low. Choose Loss curves per epoch (one pass over the training examples) to line the runs up by that work: run 2's 1000 steps are 40 epochs, run 1's 1000. Sharpness, below the charts, measures λmax, the loss's largest curvature: run 2 ends where it is about half of run 1's 0.82, flatter, as small batches often end (Keskar et al., 2017). Often, not always: at γ = 0.3 run 2 ends the sharper of the two (1.65 against 1.36). The slider drives run 2 (mini-batch).",
    ),
    (
        "net-plateau",
        "A deeper network, 2-8-8-8-1 with sigmoid units (177 weights and biases), on the blobs data set. Two runs race from the same weights at the same γ = 0.5: full-batch gradient descent (run 1, orange) and mini-batch SGD with batches of 8 (run 2, blue). Both start on a plateau: run 1's loss stays between 0.68 and 0.70, around 0.693 (ln 2, the loss of answering ½ for every example), up to step 314, and run 2's, noisier, between 0.68 and 0.82. Is it the noise of run 2's steps that takes it off the plateau? No: run 1's loss falls below 0.5 first, at step 425, run 2's at step 455 (with batch orders 1, 2 and 3, set by Seed under Gradient, at steps 456, 463 and 458; with Weights seed 1 or 2, run 1 leads too), and both end at a loss of 0.031 with 99% of the training examples right. Counted in work they differ: run 2's 1000 steps take 8000 examples' gradients, as many as run 1's first 40 steps, after which run 1 is still on the plateau (loss 0.692, 51.5% right). So at the same γ and the same work, SGD trains this network and full-batch gradient descent does not; in the same number of steps, both do. Choose Loss curves per epoch to line the runs up by that work. The slider drives run 2 (mini-batch).",
    ),
    (
        "schedule-settles",
"Mini-batch SGD with a large step trains fast but noisily. Two runs train the 2-8-8-1 tanh network on the moons from the same weights with batches of 8 at γ = 3; run 2 lowers γ along a cosine, from 3 at its first step to 7e-6 at its last (cosine annealing). Run 1, at a constant γ, never classifies every training example: from step 900 on, its training accuracy swings between 87.5% and 96% and its loss between 0.12 and 0.43, since every step is its batch's noisy gradient at full size. Run 2's steps shrink with γ: it classifies every training example, first at step 489 and at every step from 646 on, its loss steady at 0.0067 over the last 100 steps, and at the end every test example too. Other batch orders tell the same story: with seeds 1, 2 and 3 for both runs (Seed, under Gradient, sets the selected run's), constant γ never holds 100% over the last 100 steps and the cosine always does. A constant γ large enough to train fast is too large to settle; a schedule gets both. The slider drives run 2 (SGD with cosine annealing).",
    ),
    (
        "landscape",
        "A 2-8-8-1 network has 105 weights and biases, so Adam's path through them moves in 105 directions. Loss landscape, below the charts, opens with this lesson: of how far the path moves, its two principal directions hold 93.1% and 4.1%, so the plane they span holds nearly all of this run and the loss drawn over it is a fair picture of where training went (the chart beside it shows how far each step is off the plane). Under it, the straight line from the first weights to the last: the training loss falls all the way along it, from 0.67 to 0.001, with no barrier to climb, as Goodfellow et al. (2015) found for many networks.",
    ),
    (
        "edge-of-stability",
        "On a quadratic, gradient descent overshoots once γ passes 2/λmax, where λmax is the largest curvature. Train a 2-16-16-1 tanh network on the sine data with full-batch SGD at γ = 0.2; Sharpness, below the charts, opens with this lesson and measures λmax, the largest eigenvalue of the training loss's Hessian, along the run. It starts at 6.8, under the line 2/γ = 10, and training sharpens the loss: by step 400 λmax has come within 10% of the line. A quadratic would now diverge; the network instead swings around the line (up to 14), and from step 2000 on λmax stays within 10% of 10, while the training loss falls overall, from 0.24 to 0.016. Cohen et al. (2021) found this on many networks and called it the edge of stability: gradient descent tunes the curvature to its own step size.",
    ),
    (
        "two-basins",
        "Race two optimizers on a real network from the same initial weights: SGD at γ = 0.5 and Adam at γ = 0.02 train the 2-8-8-1 tanh network on the moons for 300 steps, and both classify every training and test example. Did they find the same minimum? Loss landscape opens with this lesson on the ends plane, through the first weights and both runs' last weights (Adam's end is the ◆), and under it the straight line from SGD's end to Adam's: the training loss climbs from 0.0185 to 0.299 at α = 0.4, then falls to 0.001. That is a barrier 0.28 high, so along this line the two ends lie in different basins, although both fit the data: a network's loss has many minima, and the optimizer decides which one training finds. The slider drives SGD (run 1); select Adam's run in the legend to see the same two ends from its side.",
    ),
];
