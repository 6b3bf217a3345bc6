// The READMEs are bundled as text at build time (Vite `?raw`): the steps shown are the
// README's own, so they cannot drift from it.
import dynamiqAgentReadme from '@presets/dynamiq-agent/README.md?raw';
import livekitVoiceAgentReadme from '@presets/livekit-voice-agent/README.md?raw';
import paddleocrVlReadme from '@presets/paddleocr-vl/README.md?raw';
import unstructuredReadme from '@presets/unstructured/README.md?raw';
import { parsePresetReadme, type ParsedPresetReadme } from './presetReadme';

export interface Preset {
  /** Its directory under examples/presets. */
  id: string;
  label: string;
  readme: ParsedPresetReadme;
}

export const readmePath = (preset: Preset) => `examples/presets/${preset.id}/README.md`;

export const PRESETS: readonly Preset[] = [
  { id: 'dynamiq-agent', label: 'Dynamiq Agent', readme: parsePresetReadme(dynamiqAgentReadme) },
  { id: 'unstructured', label: 'Unstructured', readme: parsePresetReadme(unstructuredReadme) },
  {
    id: 'livekit-voice-agent',
    label: 'LiveKit Voice Agent',
    readme: parsePresetReadme(livekitVoiceAgentReadme),
  },
  { id: 'paddleocr-vl', label: 'PaddleOCR-VL', readme: parsePresetReadme(paddleocrVlReadme) },
];
