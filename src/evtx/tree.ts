import type { EvtxValue } from './values.js';

/**
 * The resolved XML tree of one record: templates instantiated, substitutions replaced by their
 * values. Both renderers (evtx JSON, python-evtx XML) read it. Subtrees without substitutions are
 * shared between records of the same template, so trees are never mutated after building.
 */
export type XNode = XElement | XText | XValue | XCharRef | XEntityRef | XCData | XPi | XPlaceholder;

export interface XElement {
  k: 'Element';
  name: string;
  attrs: XAttr[];
  children: XNode[];
  /** Some child is an element (after substitution). */
  hasElem: boolean;
  /** Template-time only: the subtree holds placeholders and must be cloned per record. */
  dyn: boolean;
}

export interface XAttr {
  name: string;
  value: XNode[];
}

/** Literal text or a string value. */
export interface XText {
  k: 'Text';
  s: string;
}

export interface XValue {
  k: 'Value';
  v: EvtxValue;
}

export interface XCharRef {
  k: 'CharRef';
  c: number;
}

export interface XEntityRef {
  k: 'EntityRef';
  name: string;
}

export interface XCData {
  k: 'CData';
  s: string;
}

export interface XPi {
  k: 'Pi';
  target: string;
  data: string;
}

/** A substitution slot inside a template definition. */
export interface XPlaceholder {
  k: 'Placeholder';
  index: number;
  optional: boolean;
}

export type NodeKind = XNode['k'];
