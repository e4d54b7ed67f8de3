//! Exercises in the page: the question posed about the state shown (`question=` in a link, or a
//! lesson's exercise), what it offers as answers, and the verdict on an answer, all computed by
//! [`crate::exercise`] from the runs on screen. The page decides when to ask and show; every
//! fact it shows comes from here.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::{err, set, Visualizer};
use crate::exercise::Question;
use crate::run::Trajectory;

#[wasm_bindgen]
impl Visualizer {
    /// Poses question `key` (`converges`, `minimum`, `within:N`, `first:EPS`) about the state
    /// shown, or, for `""`, withdraws it. Returns the notices: a malformed question is one and
    /// changes nothing.
    #[wasm_bindgen(js_name = setQuestion)]
    pub fn set_question(&mut self, key: &str) -> Array {
        if key.is_empty() {
            self.question = None;
            return Array::new();
        }
        match Question::parse(key) {
            Ok(q) => {
                self.question = Some(q);
                Array::new()
            }
            Err(e) => std::iter::once(JsValue::from_str(&format!("{e}; ignored"))).collect(),
        }
    }

    /// The question posed, as a link writes it, or `""`.
    #[wasm_bindgen(getter)]
    pub fn question(&self) -> String {
        self.question.map_or(String::new(), |q| q.key())
    }

    /// The question about the state shown: `{question, prompt, predict, choices: [{label,
    /// answer}], unfit}` (`unfit` says why the state cannot answer it, e.g. `first` without a
    /// race, or is null), or null with no question posed.
    pub fn exercise(&self) -> JsValue {
        let Some(q) = self.question else {
            return JsValue::NULL;
        };
        let o = Object::new();
        set(&o, "question", q.key());
        set(&o, "predict", q.is_prediction());
        let unfit = if self.network_on() {
            Some("questions are about the surfaces: switch to Surfaces to answer".to_string())
        } else {
            q.unfit(&self.opts, self.surface())
        };
        match unfit {
            Some(why) => {
                set(&o, "unfit", why);
                set(&o, "prompt", "");
                set(&o, "choices", Array::new());
            }
            None => {
                set(&o, "unfit", JsValue::NULL);
                set(&o, "prompt", q.prompt(&self.opts, self.surface()));
                let choices: Array = q
                    .choices(&self.opts, self.surface())
                    .into_iter()
                    .map(|c| {
                        let e = Object::new();
                        set(&e, "label", c.label);
                        set(&e, "answer", c.answer);
                        JsValue::from(e)
                    })
                    .collect();
                set(&o, "choices", choices);
            }
        }
        JsValue::from(o)
    }

    /// Judges `answer` (a choice's `answer`, or `at:X,Y` for a click on the plot at θ = (X, Y))
    /// against the runs shown: `{question, answer, given, right, truth, why}`. An answer the
    /// question does not take, or no question, is an error with the message.
    pub fn answer(&self, answer: &str) -> Result<JsValue, JsError> {
        let q = self
            .question
            .ok_or_else(|| err("answer: no question is posed"))?;
        let runs: Vec<&Trajectory> = self.trajectories().collect();
        let v = q
            .check(answer, &self.opts, self.surface(), &runs)
            .map_err(err)?;
        let o = Object::new();
        set(&o, "question", q.key());
        set(&o, "answer", answer.chars().take(80).collect::<String>());
        set(&o, "given", v.given);
        set(&o, "right", v.right);
        set(&o, "truth", v.truth);
        set(&o, "why", v.why);
        Ok(JsValue::from(o))
    }

    /// Lays the lesson's exercise over its state and poses its question; a notice if the lesson
    /// has none.
    #[wasm_bindgen(js_name = startExercise)]
    pub fn start_exercise(&mut self) -> Result<Array, JsError> {
        let Some(next) = self.lesson.and_then(|l| l.exercise_state()) else {
            return Ok(
                std::iter::once(JsValue::from_str("lesson: this lesson has no exercise")).collect(),
            );
        };
        let (state, q) = next.map_err(err)?;
        let notices = self.replace(state)?;
        self.question = Some(q);
        Ok(notices)
    }
}
