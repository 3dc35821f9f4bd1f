import { createRequire } from 'node:module';
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  encodeDeployData,
  parseUnits,
} from 'viem';

// The two contracts the wallets layer needs on a dev chain, as Solidity source compiled with
// solc from npm (offline), once per process. No AgentKit action deploys a contract with a plain
// viem wallet, so deployment goes through viem.

const ERC20_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// A minimal ERC-20: the whole supply is minted to the deployer.
contract Erc20 {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 supply_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
        totalSupply = supply_;
        balanceOf[msg.sender] = supply_;
        emit Transfer(address(0), msg.sender, supply_);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= value, "ERC20: insufficient allowance");
            allowance[from][msg.sender] = allowed - value;
        }
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        require(to != address(0), "ERC20: transfer to the zero address");
        uint256 balance = balanceOf[from];
        require(balance >= value, "ERC20: transfer amount exceeds balance");
        // No overflow: every balance is at most totalSupply.
        unchecked {
            balanceOf[from] = balance - value;
            balanceOf[to] += value;
        }
        emit Transfer(from, to, value);
    }
}
`;

const MULTICALL3_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// The part of Multicall3 (mds1/multicall) that viem's multicall, and so AgentKit's ERC-20
// actions, call: aggregate3, plus the small getters.
contract Multicall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 length = calls.length;
        returnData = new Result[](length);
        for (uint256 i = 0; i < length; i++) {
            Call3 calldata call = calls[i];
            (bool success, bytes memory data) = call.target.call(call.callData);
            require(success || call.allowFailure, "Multicall3: call failed");
            returnData[i] = Result(success, data);
        }
    }

    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }

    function getCurrentBlockTimestamp() external view returns (uint256) {
        return block.timestamp;
    }

    function getChainId() external view returns (uint256) {
        return block.chainid;
    }

    function getEthBalance(address addr) external view returns (uint256) {
        return addr.balance;
    }
}
`;

export type CompiledContract = { abi: Abi; bytecode: Hex };
type Compiled = { erc20: CompiledContract; multicall3: CompiledContract };

let compiled: Compiled | undefined;

// solc is CommonJS and its compile is synchronous (~0.5 s): done once, on first use.
export function compiledContracts(): Compiled {
  if (compiled) return compiled;
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'Erc20.sol': { content: ERC20_SOURCE }, 'Multicall3.sol': { content: MULTICALL3_SOURCE } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      // ganache 7 knows no opcode after Paris (solc 0.8.30 would emit PUSH0 and MCOPY).
      evmVersion: 'paris',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const pick = (file: string, name: string): CompiledContract => {
    const contract = output.contracts?.[file]?.[name];
    if (!contract) throw new Error(`solc produced no ${name}`);
    return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  };
  compiled = { erc20: pick('Erc20.sol', 'Erc20'), multicall3: pick('Multicall3.sol', 'Multicall3') };
  return compiled;
}

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
};

export type Erc20Parameters = {
  name: string;
  symbol: string;
  decimals: number;
  // In whole tokens, as a decimal string ('1000000'); minted to the deployer.
  supply: string;
};

// The creation code of an ERC-20 (bytecode and constructor arguments), for a transaction.
export function erc20DeployData({ name, symbol, decimals, supply }: Erc20Parameters): Hex {
  const { abi, bytecode } = compiledContracts().erc20;
  return encodeDeployData({ abi, bytecode, args: [name, symbol, decimals, parseUnits(supply, decimals)] });
}

export function multicall3DeployData(): Hex {
  return compiledContracts().multicall3.bytecode;
}

type Deployer = WalletClient<Transport, Chain, Account>;
export type Deployed = { address: Address; txHash: Hex };

export async function deployErc20(walletClient: Deployer, publicClient: PublicClient, parameters: Erc20Parameters): Promise<Deployed> {
  return deploy(walletClient, publicClient, erc20DeployData(parameters));
}

export async function deployMulticall3(walletClient: Deployer, publicClient: PublicClient): Promise<Deployed> {
  return deploy(walletClient, publicClient, multicall3DeployData());
}

async function deploy(walletClient: Deployer, publicClient: PublicClient, data: Hex): Promise<Deployed> {
  const txHash = await walletClient.sendTransaction({ data });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deployment ${txHash} reverted`);
  return { address: receipt.contractAddress, txHash };
}
