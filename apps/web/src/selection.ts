import { createContext, useContext } from 'react';

/** The organization and project the dashboard shows, remembered as ids only. */
export interface Selection {
  orgId: string | undefined;
  projectId: string | undefined;
}

const STORAGE_KEY = 'slipway.selection';
const EMPTY: Selection = { orgId: undefined, projectId: undefined };

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const idOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export function loadSelection(): Selection {
  try {
    const raw = storage()?.getItem(STORAGE_KEY);
    if (!raw) return EMPTY;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return EMPTY;
    const { org_id: orgId, project_id: projectId } = parsed as Record<string, unknown>;
    return { orgId: idOrUndefined(orgId), projectId: idOrUndefined(projectId) };
  } catch {
    return EMPTY;
  }
}

export function saveSelection(selection: Selection): void {
  try {
    storage()?.setItem(
      STORAGE_KEY,
      JSON.stringify({ org_id: selection.orgId ?? null, project_id: selection.projectId ?? null }),
    );
  } catch {
    // storage full or disabled: the choice lasts until the page is left
  }
}

export const SelectionContext = createContext<Selection>(EMPTY);

export const useSelection = (): Selection => useContext(SelectionContext);
