/** The inputs a user types for a run: validation as they type, and the text a prompt starts with. */

export type Inputs = Record<string, unknown>;

/** What `scriptcontract.inputsTemplate` answers. */
export interface InputsTemplate {
  inputs: Inputs;
  source: "sidecar" | "inferred";
  sidecarUri?: string;
}

/** Undefined when the text is a JSON object, else a short message for the input box. */
export function inputsProblem(text: string): string | undefined {
  if (text.trim() === "") {
    return "Type a JSON object, for example {} for no inputs.";
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `Not valid JSON: ${reason}`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    return `The inputs must be a JSON object ({...}), not ${kind}.`;
  }
  return undefined;
}

/** The inputs in valid text; throws for text that inputsProblem rejects. */
export function parseInputs(text: string): Inputs {
  const problem = inputsProblem(text);
  if (problem !== undefined) {
    throw new Error(problem);
  }
  return JSON.parse(text) as Inputs;
}

/** Reads a template answer defensively: an unusable one means starting from `{}`. */
export function templateFrom(answer: unknown): InputsTemplate {
  if (typeof answer === "object" && answer !== null) {
    const { inputs, source, sidecarUri } = answer as Record<string, unknown>;
    if (typeof inputs === "object" && inputs !== null && !Array.isArray(inputs)) {
      return {
        inputs: inputs as Inputs,
        source: source === "sidecar" ? "sidecar" : "inferred",
        sidecarUri: typeof sidecarUri === "string" ? sidecarUri : undefined,
      };
    }
  }
  return { inputs: {}, source: "inferred" };
}

/** The one-line text an input box is pre-filled with. */
export function prefill(template: InputsTemplate): string {
  return JSON.stringify(template.inputs);
}

/**
 * The prompt above the input box, saying where its starting text came from; with `problem` (why
 * the server gave no template: an inputs file that is not valid JSON), that the box starts empty
 * and why, else the user takes `{}` for what the inputs file holds.
 */
export function promptFor(scriptName: string, template: InputsTemplate, problem?: string): string {
  if (problem !== undefined) {
    return `Inputs for ${scriptName} as a JSON object (not pre-filled: ${problem.replace(/\s*\n\s*/g, " ")})`;
  }
  const origin =
    template.source === "sidecar"
      ? "from its inputs file"
      : "inferred from the keys the script reads";
  return `Inputs for ${scriptName} as a JSON object (${origin})`;
}
