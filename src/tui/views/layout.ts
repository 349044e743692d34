export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where the run view's panes go. Each pane's first row is its title. */
export interface RunLayout {
  header: Rect;
  timeline: Rect;
  lane: Rect;
  text: Rect;
  detail: Rect;
  timing: Rect;
}

/** Terminals at least this wide get the timeline beside the other panes; narrower ones stack them. */
export const WIDE_COLUMNS = 140;

/**
 * The run view for a terminal of `cols` x `rows` (the last row belongs to the footer). Wide: the timeline
 * on the left, handoffs / text / payload stacked on the right. Narrow: the timeline on top, text and
 * payload side by side below it, the handoffs lane across the bottom.
 */
export function runLayout(cols: number, rows: number): RunLayout {
  const header: Rect = { left: 0, top: 0, width: cols, height: 1 };
  const body = Math.max(4, rows - 3); // header, timing line, footer
  const timing: Rect = { left: 0, top: 1 + body, width: cols, height: 1 };
  if (cols >= WIDE_COLUMNS) {
    const leftWidth = Math.floor(cols * 0.55);
    const right = { left: leftWidth + 1, width: cols - leftWidth - 1 };
    const laneHeight = Math.max(3, Math.floor(body * 0.3));
    const textHeight = Math.max(3, Math.floor((body - laneHeight) / 2));
    return {
      header,
      timing,
      timeline: { left: 0, top: 1, width: leftWidth, height: body },
      lane: { ...right, top: 1, height: laneHeight },
      text: { ...right, top: 1 + laneHeight, height: textHeight },
      detail: { ...right, top: 1 + laneHeight + textHeight, height: body - laneHeight - textHeight },
    };
  }
  const timelineHeight = Math.max(3, Math.floor(body * 0.42));
  const laneHeight = Math.max(2, Math.floor(body * 0.2));
  const middle = body - timelineHeight - laneHeight;
  const half = Math.floor(cols / 2);
  return {
    header,
    timing,
    timeline: { left: 0, top: 1, width: cols, height: timelineHeight },
    text: { left: 0, top: 1 + timelineHeight, width: half, height: middle },
    detail: { left: half + 1, top: 1 + timelineHeight, width: cols - half - 1, height: middle },
    lane: { left: 0, top: 1 + timelineHeight + middle, width: cols, height: laneHeight },
  };
}
