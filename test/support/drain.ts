/** Reads a streamed run to its end and awaits `completed`: what it failed with, or undefined. */
export async function drain(result: AsyncIterable<unknown> & { completed: Promise<void> }): Promise<unknown> {
  try {
    for await (const _ of result);
    await result.completed;
    return undefined;
  } catch (error) {
    return error;
  }
}
