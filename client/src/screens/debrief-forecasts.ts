import type { ClientView } from '../../../shared/protocol/room.ts';
import { moveNames, scorePercent } from '../../../shared/rules/forecast.ts';
import { h, tableHead } from '../dom.ts';
import { forecastSummaries, visibleScores } from '../model/forecast-model.ts';
import { SIDE_NAMES } from '../model/orders-model.ts';

const names = (ids: readonly string[]) => moveNames(ids) || '—';

/** The debrief's account of each team's forecasts, judged against the truth (secret moves included). */
export function forecastsSection(v: ClientView): HTMLElement {
  const scores = visibleScores(v);
  return h(
    'section',
    { 'aria-labelledby': 'debrief-forecasts' },
    h('h2', { id: 'debrief-forecasts' }, 'How each team read the other'),
    h(
      'p',
      { class: 'muted' },
      'Each round a team could forecast the other side’s moves in private. A round’s score is the moves it named that the other side made, over all the moves it named or the other side made, secret moves included.',
    ),
    scores.length === 0
      ? h('p', null, 'Neither team recorded a forecast for a round that was played.')
      : [
          h(
            'ul',
            { class: 'debrief-forecast-summary' },
            forecastSummaries(scores).map((s) => h('li', null, s.text)),
          ),
          h(
            'div',
            { class: 'chart-table-wrap', role: 'region', tabindex: 0, 'aria-label': 'Forecasts: table' },
            h(
              'table',
              { class: 'chart-table debrief-forecast-table' },
              h('caption', null, 'Each forecast against the moves the other side made'),
              tableHead(
                'Round',
                'Forecast by',
                'Named and made',
                'Named, not made',
                'Made, not named',
                'Score',
              ),
              h(
                'tbody',
                null,
                scores.map((s) =>
                  h(
                    'tr',
                    null,
                    h('th', { scope: 'row' }, String(s.round)),
                    h('td', null, SIDE_NAMES[s.side]),
                    h('td', null, names(s.hits)),
                    h('td', null, names(s.wrong)),
                    h('td', null, names(s.missed)),
                    h('td', null, scorePercent(s.score)),
                  ),
                ),
              ),
            ),
          ),
        ],
  );
}
