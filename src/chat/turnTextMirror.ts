import type { ToWebview } from '../shared/protocol';

interface Held {
  text: string;
  thinking: string;
}

/**
 * What the chat webview holds of each assistant turn's text and thinking, rebuilt from the
 * messages the host posts to it, in order, exactly as the webview builds it from them: a snapshot
 * or an appended turn sets it, a delta extends it (if the turn is there), an update replaces it,
 * a removal forgets it. So a turn's final update can leave out a text the webview already has
 * (see ToWebview.DidUpdateTurn). Messages the view drops before the webview is ready change
 * nothing here that the snapshot which answers its `ready` does not reset.
 */
export class TurnTextMirror {
  private readonly turns = new Map<string, Held>();

  /** Call with every message, in the order they are posted; returns the message to post instead. */
  outgoing(message: ToWebview.Message): ToWebview.Message {
    switch (message.type) {
      case 'didLoad':
        this.turns.clear();
        for (const turn of message.snapshot.turns) if (turn.role === 'assistant') this.turns.set(turn.id, { text: turn.text, thinking: turn.thinking });
        return message;
      case 'didAppendTurn':
        if (message.turn.role === 'assistant') this.turns.set(message.turn.id, { text: message.turn.text, thinking: message.turn.thinking });
        return message;
      case 'didStreamDelta': {
        const held = this.turns.get(message.turnId);
        if (held) {
          held.text += message.text ?? '';
          held.thinking += message.thinking ?? '';
        }
        return message;
      }
      case 'didUpdateTurn':
        return this.update(message);
      case 'didRemoveTurn':
        this.turns.delete(message.turnId);
        return message;
      default:
        return message;
    }
  }

  private update(message: ToWebview.DidUpdateTurn): ToWebview.DidUpdateTurn {
    const { turn } = message;
    const held = this.turns.get(turn.id);
    this.turns.set(turn.id, { text: turn.text, thinking: turn.thinking });
    const keepText = held !== undefined && turn.text !== '' && held.text === turn.text;
    const keepThinking = held !== undefined && turn.thinking !== '' && held.thinking === turn.thinking;
    if (!keepText && !keepThinking) return message;
    return {
      type: 'didUpdateTurn',
      turn: { ...turn, text: keepText ? '' : turn.text, thinking: keepThinking ? '' : turn.thinking },
      ...(keepText ? { keptText: turn.text.length } : {}),
      ...(keepThinking ? { keptThinking: turn.thinking.length } : {}),
    };
  }
}
