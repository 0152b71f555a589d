// The editing commands the toolbar and the keyboard share, and the keymap and input rules.
import { toggleMark, setBlockType, wrapIn, lift, baseKeymap, chainCommands,
         exitCode } from 'prosemirror-commands';
import { undo, redo, history } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { inputRules, wrappingInputRule, textblockTypeInputRule,
         undoInputRule } from 'prosemirror-inputrules';
import { wrapInList, splitListItem, liftListItem, sinkListItem } from 'prosemirror-schema-list';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { schema, safeUrl } from './markdown.js';

const { nodes, marks } = schema;

export function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

export function blockActive(state, type, attrs) {
  const { $from, to } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    const n = $from.node(d);
    if (n.type === type && (!attrs || Object.keys(attrs).every((k) => n.attrs[k] === attrs[k])))
      return to <= $from.end(d);
  }
  return false;
}

// Link: asks for the address (the ask function is the page's prompt); an empty answer on a
// link removes it. javascript:, data: and other schemes are refused with say().
export function linkCommand(ask, say) {
  return (state, dispatch) => {
    if (markActive(state, marks.link)) {
      if (dispatch) toggleMark(marks.link)(state, dispatch);
      return true;
    }
    if (state.selection.empty) return false;
    if (!dispatch) return true;
    const answer = ask('Link address (https://…)', 'https://');
    if (answer === null || answer.trim() === '' || answer.trim() === 'https://') return true;
    const href = safeUrl(answer);
    if (!href) {
      say('That link was not added: an address must start with https://, http://, mailto: or /.');
      return true;
    }
    toggleMark(marks.link, { href })(state, dispatch);
    return true;
  };
}

export function imageCommand(ask, say) {
  return (state, dispatch) => {
    if (!dispatch) return true;
    const answer = ask('Image address (https://…)', 'https://');
    if (answer === null || answer.trim() === '' || answer.trim() === 'https://') return true;
    const src = safeUrl(answer);
    if (!src) {
      say('That image was not added: its address must start with https://, http:// or /.');
      return true;
    }
    const alt = ask('Describe the image for readers who cannot see it (alt text)', '');
    if (alt === null) return true;
    dispatch(state.tr.replaceSelectionWith(nodes.image.create({ src, alt: alt.trim() || null }))
      .scrollIntoView());
    return true;
  };
}

export function hrCommand(state, dispatch) {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.horizontal_rule.create()).scrollIntoView());
  return true;
}

// Heading / paragraph toggles: pressing an active heading button makes a paragraph again.
export function headingCommand(level) {
  return (state, dispatch) => blockActive(state, nodes.heading, { level })
    ? setBlockType(nodes.paragraph)(state, dispatch)
    : setBlockType(nodes.heading, { level })(state, dispatch);
}

export function toggleWrap(type, wrap) {
  return (state, dispatch) => blockActive(state, type)
    ? (type === nodes.blockquote ? lift : liftListItem(nodes.list_item))(state, dispatch)
    : wrap(state, dispatch);
}

export function codeBlockCommand(state, dispatch) {
  return blockActive(state, nodes.code_block)
    ? setBlockType(nodes.paragraph)(state, dispatch)
    : setBlockType(nodes.code_block)(state, dispatch);
}

const hardBreak = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
  return true;
});

// Mod-s is deliberately unbound: the page saves with it, and an unhandled key bubbles.
// Tab is unbound too, so that the keyboard can always leave the editor.
export function plugins(ask, say) {
  const keys = {
    'Mod-z': undo,
    'Shift-Mod-z': redo,
    'Mod-y': redo,
    'Backspace': undoInputRule,
    'Mod-b': toggleMark(marks.strong),
    'Mod-B': toggleMark(marks.strong),
    'Mod-i': toggleMark(marks.em),
    'Mod-I': toggleMark(marks.em),
    'Mod-`': toggleMark(marks.code),
    'Mod-k': linkCommand(ask, say),
    'Mod-K': linkCommand(ask, say),
    'Shift-Enter': hardBreak,
    'Mod-Enter': hardBreak,
    'Enter': splitListItem(nodes.list_item),
    'Mod-[': liftListItem(nodes.list_item),
    'Mod-]': sinkListItem(nodes.list_item),
    'Shift-Ctrl-1': setBlockType(nodes.paragraph),
    'Shift-Ctrl-2': setBlockType(nodes.heading, { level: 2 }),
    'Shift-Ctrl-3': setBlockType(nodes.heading, { level: 3 }),
    'Shift-Ctrl-8': wrapInList(nodes.bullet_list),
    'Shift-Ctrl-9': wrapInList(nodes.ordered_list),
    'Ctrl->': wrapIn(nodes.blockquote),
  };
  const rules = inputRules({
    rules: [
      textblockTypeInputRule(/^(#{1,6})\s$/, nodes.heading, (m) => ({ level: m[1].length })),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list),
      wrappingInputRule(/^(\d+)\.\s$/, nodes.ordered_list, (m) => ({ order: +m[1] }),
                        (m, node) => node.childCount + node.attrs.order === +m[1]),
      textblockTypeInputRule(/^```$/, nodes.code_block),
    ],
  });
  return [rules, keymap(keys), keymap(baseKeymap), history(), dropCursor(), gapCursor()];
}

export { undo, redo, toggleMark, wrapIn, wrapInList };
