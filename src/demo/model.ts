import { ScriptedModel } from '@openai/agents/testing';

/**
 * A ScriptedModel that carries the name of the model it stands in for
 * (e.g. `scripted:gpt-4.1-mini`), so a recorder can show which model an agent "used":
 * an agent's `model` is otherwise an anonymous Model instance.
 */
export class DemoModel extends ScriptedModel {
  constructor(readonly name: string) {
    super();
  }
}
