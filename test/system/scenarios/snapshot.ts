/** Scenario: print the namespace's network snapshot. */
import { snapshotNetworkState } from '../../../main/service/net';
import { emit, fail } from './common';

snapshotNetworkState().then((snapshot) => emit({ snapshot }), fail);
