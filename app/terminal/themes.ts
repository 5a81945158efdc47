// Terminal colours for the two themes. The grey of hints (ANSI 90, "bright black") and the yellow
// of HELP's labels are tuned to stay readable on a projector in both.

import type { ITheme } from '@xterm/xterm';
import type { ThemeName } from '../store/initial-state';

export const TERMINAL_THEMES: Record<ThemeName, ITheme> = {
  dark: {
    background: '#14161b',
    foreground: '#e6e6e6',
    cursor: '#f2f2f2',
    cursorAccent: '#14161b',
    selectionBackground: '#3a4a66',
    black: '#1f2229',
    red: '#ff6b5e',
    green: '#7ad27a',
    yellow: '#e5c07b',
    blue: '#6cb6ff',
    magenta: '#d49cff',
    cyan: '#56d4dd',
    white: '#d7dae0',
    brightBlack: '#8b919c',
    brightRed: '#ff8a80',
    brightGreen: '#98e598',
    brightYellow: '#f0d399',
    brightBlue: '#8cc8ff',
    brightMagenta: '#e0b6ff',
    brightCyan: '#7fe4ea',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#fcfcfa',
    foreground: '#1c1e21',
    cursor: '#1c1e21',
    cursorAccent: '#fcfcfa',
    selectionBackground: '#b9d3f5',
    black: '#1c1e21',
    red: '#c4271c',
    green: '#1f7a1f',
    yellow: '#8a5a00',
    blue: '#0b5cad',
    magenta: '#8e3bb5',
    cyan: '#0b7a83',
    white: '#5c6066',
    brightBlack: '#6f747c',
    brightRed: '#d93a2f',
    brightGreen: '#2a8f2a',
    brightYellow: '#9a6700',
    brightBlue: '#1a6fd1',
    brightMagenta: '#a24ccb',
    brightCyan: '#138c96',
    brightWhite: '#000000',
  },
};

export const TERMINAL_FONT =
  '"JetBrains Mono", "Fira Code", "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
